// A stand-in for Boost.Thread's names, for tests.
#pragma once
namespace boost {
class mutex {
public:
  void lock();
  void unlock();
  bool try_lock();
};
struct defer_lock_t {};
inline constexpr defer_lock_t defer_lock{};
template <class M> class lock_guard {
public:
  explicit lock_guard(M &m);
  ~lock_guard();
};
template <class M> class unique_lock {
public:
  explicit unique_lock(M &m);
  unique_lock(M &m, defer_lock_t);
  ~unique_lock();
  void lock();
  void unlock();
};
class thread {
public:
  template <class F> explicit thread(F f);
  void join();
};
namespace this_thread {
template <class D> void sleep_for(const D &d);
}
} // namespace boost
