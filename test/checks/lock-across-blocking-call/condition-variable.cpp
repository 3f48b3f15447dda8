// RUN: not %concur --quiet --checks='concur-*,-concur-cv-wait-without-predicate' %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks='concur-*,-concur-cv-wait-without-predicate' %s -- %std
//
// A condition wait releases its own lock, and only that one; its predicate
// runs with the lock held.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;

class Queue {
  std::mutex mu_, stats_mu_;
  std::condition_variable cv_;
  std::condition_variable_any cv_any_;
  int items_ = 0;

public:
  // Near miss: the wait's own lock is the only one held.
  void popOnlyLock() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return items_ > 0; });
    --items_;
  }

  void popLoop() {
    std::unique_lock<std::mutex> lk(mu_);
    while (items_ == 0)
      cv_.wait(lk);
    --items_;
  }

  void popHoldingAnother() {
    std::lock_guard<std::mutex> stats(stats_mu_);
    std::unique_lock<std::mutex> lk(mu_);
    // CHECK: condition-variable.cpp:[[@LINE+1]]:9: warning: call to 'std::condition_variable::wait' blocks while holding lock 'stats_mu_'; the wait releases only 'mu_'
    cv_.wait(lk, [this] { return items_ > 0; });
    // CHECK: condition-variable.cpp:[[@LINE-4]]:33: note: lock 'stats_mu_' acquired here
  }

  void timedWait() {
    std::lock_guard<std::mutex> stats(stats_mu_);
    std::unique_lock<std::mutex> lk(mu_);
    // CHECK: condition-variable.cpp:[[@LINE+1]]:9: warning: call to 'std::condition_variable::wait_for' blocks until its timeout while holding lock 'stats_mu_'; the wait releases only 'mu_'
    cv_.wait_for(lk, 100ms);
    cv_.wait_for(lk, 0ms); // near miss: a zero timeout only polls
  }

  void waitAny() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_any_.wait(lk); // near miss: its own lock
  }

  // The predicate runs under the wait's lock: blocking there holds it.
  void blockingPredicate() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] {
      // CHECK: condition-variable.cpp:[[@LINE+1]]:7: warning: call to 'usleep' blocks while holding lock 'mu_'
      usleep(10);
      // CHECK: condition-variable.cpp:[[@LINE-4]]:34: note: lock 'mu_' acquired here
      // CHECK: condition-variable.cpp:[[@LINE-4]]:9: note: the lambda runs here, with the caller's locks held
      return items_ > 0;
    });
  }
};
