// A stand-in for boost::fibers channels' names, for tests.
#pragma once
namespace boost {
namespace fibers {
enum class channel_op_status { success, empty, full, closed, timeout };
template <typename T> class buffered_channel {
public:
  explicit buffered_channel(unsigned capacity);
  channel_op_status push(const T &v);
  channel_op_status try_push(const T &v);
  channel_op_status pop(T &v);
  void close();
};
} // namespace fibers
} // namespace boost
