// RUN: not %concur --quiet --checks='concur-*,-concur-cv-wait-without-predicate' %s -- %std -isystem %S/../../Inputs/mock | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks='concur-*,-concur-cv-wait-without-predicate' %s -- %std -isystem %S/../../Inputs/mock
//
// absl::Mutex and its guards, CondVar and Await (names as in Abseil, which
// puts them in an inline namespace).
#include <absl/synchronization/mutex.h>

class Account {
  absl::Mutex mu_;
  absl::Mutex log_mu_;
  absl::CondVar cv_;
  absl::Notification done_;
  int balance_ = 0;

public:
  void guarded() {
    absl::MutexLock lock(&mu_);
    // CHECK: abseil.cpp:[[@LINE+1]]:5: warning: call to 'absl::SleepFor' blocks until its timeout while holding lock 'mu_'
    absl::SleepFor(absl::Duration());
  }
  void reader() {
    absl::ReaderMutexLock lock(&mu_);
    // CHECK: abseil.cpp:[[@LINE+1]]:11: warning: call to 'absl::Notification::WaitForNotification' blocks while holding lock 'mu_'
    done_.WaitForNotification();
    // CHECK: abseil.cpp:[[@LINE-3]]:27: note: shared lock 'mu_' acquired here
  }
  void manual() {
    mu_.Lock();
    balance_++;
    mu_.Unlock();
    absl::SleepFor(absl::Duration()); // near miss: unlocked
  }
  void tryLock() {
    if (!mu_.TryLock())
      return;
    // CHECK: abseil.cpp:[[@LINE+1]]:5: warning: call to 'absl::SleepFor'
    absl::SleepFor(absl::Duration());
    mu_.Unlock();
  }
  void condVarOwnLock() {
    absl::MutexLock lock(&mu_);
    while (balance_ == 0)
      cv_.Wait(&mu_); // near miss: releases mu_
  }
  void condVarOtherLock() {
    absl::MutexLock log(&log_mu_);
    absl::MutexLock lock(&mu_);
    // CHECK: abseil.cpp:[[@LINE+1]]:9: warning: call to 'absl::CondVar::Wait' blocks while holding lock 'log_mu_'; the wait releases only 'mu_'
    cv_.Wait(&mu_);
  }
  static bool positive(int *b) { return *b > 0; }
  void awaitOwnLock() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&Account::positive, &balance_)); // near miss
  }
};

// An assertion that the lock is held counts as holding it.
void assertedHeld(absl::Mutex &mu) {
  mu.AssertHeld();
  // CHECK: abseil.cpp:[[@LINE+1]]:3: warning: call to 'absl::SleepFor' blocks until its timeout while holding lock 'mu'
  absl::SleepFor(absl::Duration());
  // CHECK: abseil.cpp:[[@LINE-3]]:6: note: lock 'mu' asserted held here
}
