// A stand-in for absl/synchronization/blocking_counter.h, for tests.
#pragma once
namespace absl {
class BlockingCounter {
public:
  explicit BlockingCounter(int initial_count);
  bool DecrementCount();
  void Wait();
};
} // namespace absl
