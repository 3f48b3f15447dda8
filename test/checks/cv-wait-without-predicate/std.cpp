// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// Waits on std::condition_variable(_any) without a predicate: reported
// unless a loop tests a condition again after the wait.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

using namespace std::chrono_literals;

class Queue {
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable_any cv_any_;
  std::deque<int> items_;
  bool ready_ = false;
  bool stop_ = false;

public:
  // The classic bug: an `if` where a `while` belongs.
  int popIf() {
    std::unique_lock<std::mutex> lock(mu_);
    if (items_.empty())
      // CHECK: std.cpp:[[@LINE+1]]:11: warning: 'std::condition_variable::wait' without a predicate is not in a loop that re-checks a condition after it: a spurious or stolen wakeup goes on as if the condition held; wait in 'while (items_.empty())' rather than 'if' [concur-cv-wait-without-predicate]
      cv_.wait(lock);
    // CHECK: std.cpp:[[@LINE-3]]:9: note: the condition to re-check after each wakeup
    int v = items_.front();
    items_.pop_front();
    return v;
  }

  // A bare wait, with nothing around it to name.
  void waitReady() {
    std::unique_lock<std::mutex> lock(mu_);
    // CHECK: std.cpp:[[@LINE+1]]:9: warning: 'std::condition_variable::wait' without a predicate is not in a loop that re-checks a condition after it: a spurious or stolen wakeup goes on as if the condition held [concur-cv-wait-without-predicate]
    cv_.wait(lock);
  }

  // Timed waits too: a spurious wakeup returns before the timeout.
  bool waitFor() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!ready_) {
      // CHECK: std.cpp:[[@LINE+1]]:11: warning: 'std::condition_variable::wait_for' without a predicate {{.*}}; wait in 'while (!ready_)' rather than 'if'
      cv_.wait_for(lock, 100ms);
    }
    // CHECK: std.cpp:[[@LINE-4]]:9: note: the condition to re-check
    return ready_;
  }

  void waitUntil(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mu_);
    // CHECK: std.cpp:[[@LINE+1]]:13: warning: 'std::condition_variable_any::wait_until' without a predicate
    cv_any_.wait_until(lock, deadline);
  }

  // A loop whose only condition comes before the wait and never again:
  // `while (true)` has no exit test.
  void forever() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      // CHECK: std.cpp:[[@LINE+1]]:11: warning: 'std::condition_variable::wait' without a predicate
      cv_.wait(lock);
      items_.pop_front();
    }
  }

  // An `if` whose condition is the wait's own result names nothing.
  bool timedOut() {
    std::unique_lock<std::mutex> lock(mu_);
    // CHECK: std.cpp:[[@LINE+1]]:13: warning: 'std::condition_variable::wait_for' without a predicate is not in a loop that re-checks a condition after it: a spurious or stolen wakeup goes on as if the condition held [concur-cv-wait-without-predicate]
    if (cv_.wait_for(lock, 1s) == std::cv_status::timeout)
      return true;
    return false;
  }

  // In a lambda that runs elsewhere: its own body decides.
  void lambda() {
    auto waiter = [this] {
      std::unique_lock<std::mutex> lock(mu_);
      // CHECK: std.cpp:[[@LINE+1]]:11: warning: 'std::condition_variable::wait' without a predicate
      cv_.wait(lock);
    };
    waiter();
  }

  // --- Near misses: silent. ---

  void predicate() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !items_.empty(); });
    cv_.wait_for(lock, 1s, [this] { return ready_; });
    cv_any_.wait_until(lock, std::chrono::steady_clock::now() + 1s,
                       [this] { return ready_; });
  }

  void whileLoop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (items_.empty())
      cv_.wait(lock);
    while (!ready_ && !stop_) {
      cv_any_.wait(lock);
    }
  }

  void doWhile() {
    std::unique_lock<std::mutex> lock(mu_);
    do {
      cv_.wait(lock);
    } while (!ready_);
  }

  void forLoop() {
    std::unique_lock<std::mutex> lock(mu_);
    for (; !ready_;)
      cv_.wait(lock);
  }

  // An infinite loop whose exit test follows the wait.
  void exitTest() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock);
      if (ready_)
        break;
    }
    while (true) {
      cv_.wait_for(lock, 10ms);
      if (stop_)
        return;
      if (items_.empty())
        continue;
      items_.pop_front();
    }
  }

  // A timeout result checked by a retry loop.
  bool retry() {
    std::unique_lock<std::mutex> lock(mu_);
    while (cv_.wait_for(lock, 100ms) == std::cv_status::timeout) {
      if (stop_)
        return false;
    }
    return true;
  }

  // A wait of zero is a poll, not a wait.
  void poll() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, 0ms);
  }

  // A worker loop that re-tests its own condition after the wait.
  void worker() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, 1s);
      while (!items_.empty())
        items_.pop_front();
    }
  }

  void notify() {
    std::lock_guard<std::mutex> lock(mu_);
    ready_ = true;
    cv_.notify_all();
  }
};
