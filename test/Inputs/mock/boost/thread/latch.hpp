// A stand-in for boost/thread/latch.hpp, for tests.
#pragma once
#include <cstddef>
namespace boost {
class latch {
public:
  explicit latch(std::size_t count);
  void wait();
  void count_down();
  void count_down_and_wait();
  void reset(std::size_t count);
};
} // namespace boost
