// RUN: not %concur --quiet --checks=-*,concur-double-lock %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-double-lock %s -- %std
//
// A guard whose lifetime spans a loop: a locked view used as the range of a
// range-for holds its lock for the whole loop, and a helper called in the
// body that takes the lock again deadlocks on the first iteration.
#include <mutex>
#include <vector>
class LockedItems {
  std::mutex &m_;
  std::vector<int> &v_;
public:
  LockedItems(std::mutex &m, std::vector<int> &v) : m_(m), v_(v) { m_.lock(); }
  ~LockedItems() { m_.unlock(); }
  std::vector<int>::iterator begin() { return v_.begin(); }
  std::vector<int>::iterator end() { return v_.end(); }
};
class Registry {
  std::mutex mu_;
  std::vector<int> items_;
  int total_ = 0;
  void add(int x) { std::lock_guard<std::mutex> g(mu_); total_ += x; }
public:
  void sumAll() {
    for (int x : LockedItems(mu_, items_))
      // CHECK: loops.cpp:[[@LINE+1]]:7: warning: call to 'Registry::add' acquires lock 'mu_', which this thread already holds
      add(x);
  }
  void sumGuard() {
    std::unique_lock<std::mutex> lk(mu_);
    for (int x : items_)
      // CHECK: loops.cpp:[[@LINE+1]]:7: warning: call to 'Registry::add' acquires lock 'mu_', which this thread already holds
      add(x);
  }
  // Near miss: the copy is taken under the view's lock, the helper runs
  // in a second loop after it is released.
  void sumCopy() {
    std::vector<int> copy;
    for (int x : LockedItems(mu_, items_))
      copy.push_back(x);
    for (int x : copy)
      add(x);
  }
  // Near miss: the guard's scope ends before the loop.
  void sumAfterScope() {
    {
      std::lock_guard<std::mutex> g(mu_);
      total_ = 0;
    }
    for (int x : items_)
      add(x);
  }
};
