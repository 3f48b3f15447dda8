// A minimal stand-in for boost::atomic: the members the tests use.
#pragma once
namespace boost {
namespace atomics {
template <typename T> class atomic {
public:
  atomic(T v = T()) : v_(v) {}
  T load() const { return __atomic_load_n(&v_, 5); }
  void store(T v) { __atomic_store_n(&v_, v, 5); }
  T fetch_add(T d) { return __atomic_fetch_add(&v_, d, 5); }
  bool compare_exchange_strong(T &e, T d) {
    return __atomic_compare_exchange_n(&v_, &e, d, false, 5, 5);
  }
  operator T() const { return load(); }
  T operator=(T v) {
    store(v);
    return v;
  }

private:
  T v_;
};
} // namespace atomics
using atomics::atomic;
} // namespace boost
