// RUN: not %concur --quiet --checks=-*,concur-double-lock %s -- -std=c++23 | FileCheck %s --check-prefixes=BOTH,CXX23 --implicit-check-not="warning:"
// RUN: not %concur --quiet --checks=-*,concur-double-lock %s -- -std=c++20 | FileCheck %s --check-prefixes=BOTH --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-double-lock %s -- -std=c++23
// RUN: %frontends_agree --checks=concur-double-lock %s -- -std=c++20
//
// The temporaries of a range-for's range expression follow the language
// mode, as Clang's AST records them: since C++23 (P2718) they all live for
// the whole loop, so a guard made by the range expression (a locking view's
// temporary, or a guard a locking accessor returns) still holds its lock in
// the body, and a helper there that takes it again deadlocks. Under C++20
// the same guard is destroyed before the body runs: the near miss.
#include <mutex>
#include <vector>

class LockedItems {
  std::mutex &m_;
  std::vector<int> &v_;

public:
  LockedItems(std::mutex &m, std::vector<int> &v) : m_(m), v_(v) { m_.lock(); }
  ~LockedItems() { m_.unlock(); }
  std::vector<int> &items() { return v_; }
  std::vector<int>::iterator begin() { return v_.begin(); }
  std::vector<int>::iterator end() { return v_.end(); }
};

class Registry {
  std::mutex mu_;
  std::vector<int> items_;
  int total_ = 0;
  void add(int x) {
    std::lock_guard<std::mutex> g(mu_);
    total_ += x;
  }
  LockedItems locked() { return LockedItems(mu_, items_); }

public:
  // A temporary guard inside the range expression.
  void sumTemporary() {
    for (int x : LockedItems(mu_, items_).items())
      // CXX23: range-for-lifetime.cpp:[[@LINE+1]]:7: warning: call to 'Registry::add' acquires lock 'mu_', which this thread already holds
      add(x);
  }
  // A locking accessor: the guard it returns is a temporary of the range
  // expression.
  void sumAccessor() {
    for (int x : locked().items())
      // CXX23: range-for-lifetime.cpp:[[@LINE+1]]:7: warning: call to 'Registry::add' acquires lock 'mu_', which this thread already holds
      add(x);
    // CXX23: range-for-lifetime.cpp:[[@LINE-3]]:18: note: lock 'mu_' first acquired here
  }
  // The guard is the range itself: it lives for the loop in every mode.
  void sumView() {
    for (int x : LockedItems(mu_, items_))
      // BOTH: range-for-lifetime.cpp:[[@LINE+1]]:7: warning: call to 'Registry::add' acquires lock 'mu_', which this thread already holds
      add(x);
  }
  // Near miss in both modes: the lock ends with the loop, and the helper
  // runs after it (also after a break out of it).
  void sumThenAdd() {
    int sum = 0;
    for (int x : locked().items()) {
      if (x < 0)
        break;
      sum += x;
    }
    add(sum);
  }
  // Near miss in both modes: the body takes no lock.
  void sumUnderLock() {
    for (int x : locked().items())
      total_ += x;
  }
};
