// RUN: %concur --quiet --checks=-*,concur-double-lock %s -- %std | FileCheck %s --implicit-check-not="already holds"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-double-lock %s -- %std
//
// A callee that takes the lock only when a bool parameter says so
// (`if (need_lock) mu_.lock();`, or a guard in the `else` of
// `if (is_locked)`): a caller holding the lock that passes the constant
// that skips it is the point of the flag, not a double lock. Passing the
// other constant is one.
#include <mutex>

class Store {
  std::mutex mu_;
  int opts_ = 0;
  int props_ = 0;

  void writeOptions(bool need_lock) {
    if (need_lock)
      mu_.lock();
    opts_++;
    if (need_lock)
      mu_.unlock();
  }
  int readProperty(bool is_locked) {
    if (is_locked) {
      return props_;
    } else {
      std::lock_guard<std::mutex> g(mu_);
      return props_;
    }
  }
  void refresh(bool need_lock) { writeOptions(need_lock); }

public:
  // Near misses: the caller holds the lock and says so.
  void setOptions() {
    std::lock_guard<std::mutex> g(mu_);
    writeOptions(false /*need_lock*/);
  }
  int sumProperties() {
    std::lock_guard<std::mutex> g(mu_);
    return readProperty(true) + readProperty(/*is_locked=*/true);
  }
  // Near miss: the flag passed on through a helper.
  void setOptionsViaHelper() {
    std::lock_guard<std::mutex> g(mu_);
    refresh(false);
  }
  // The wrong constant: the callee does take the lock.
  void setOptionsWrongly() {
    std::lock_guard<std::mutex> g(mu_);
    // CHECK: flag-parameters.cpp:[[@LINE+1]]:5: note: call to 'Store::readProperty' acquires lock 'mu_', which this thread already holds; a non-recursive mutex locked twice by one thread deadlocks
    readProperty(false);
  }
};
