// RUN: not %concur --quiet --checks=-*,concur-double-lock %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-double-lock %s -- %std
//
// A non-recursive lock taken again while the same thread holds it, by hand
// or by a guard, on every path; and the near misses: released before,
// a try-lock, a recursive mutex, another object's lock, held on one path.
#include <mutex>
#include <pthread.h>
#include <shared_mutex>

std::mutex mu;
std::recursive_mutex rmu;
std::shared_mutex smu;
pthread_mutex_t pmu = PTHREAD_MUTEX_INITIALIZER;

void lockedTwiceByHand() {
  mu.lock();
  // CHECK: direct.cpp:[[@LINE+1]]:6: warning: lock 'mu' acquired while this thread already holds it; a non-recursive mutex locked twice by one thread deadlocks [concur-double-lock]
  mu.lock();
  // CHECK: direct.cpp:[[@LINE-3]]:6: note: lock 'mu' first acquired here
  mu.unlock();
  mu.unlock();
}

void guardThenLock() {
  std::lock_guard<std::mutex> g(mu);
  // CHECK: direct.cpp:[[@LINE+1]]:32: warning: lock 'mu' acquired while this thread already holds it
  std::unique_lock<std::mutex> again(mu);
}

void posix() {
  pthread_mutex_lock(&pmu);
  // CHECK: direct.cpp:[[@LINE+1]]:3: warning: lock 'pmu' acquired while this thread already holds it
  pthread_mutex_lock(&pmu);
  pthread_mutex_unlock(&pmu);
}

void sharedThenExclusive() {
  std::shared_lock<std::shared_mutex> r(smu);
  // CHECK: direct.cpp:[[@LINE+1]]:7: warning: lock 'smu' acquired while this thread already holds it shared; upgrading a shared lock to an exclusive one deadlocks
  smu.lock();
  smu.unlock();
}

void exclusiveThenShared() {
  std::unique_lock<std::shared_mutex> w(smu);
  // CHECK: direct.cpp:[[@LINE+1]]:7: warning: shared lock 'smu' acquired while this thread already holds it; a shared lock requested by the thread holding the lock exclusively deadlocks
  smu.lock_shared();
  smu.unlock_shared();
}

// Near miss: two shared holds (allowed by POSIX read locks; not reported).
void sharedTwice() {
  std::shared_lock<std::shared_mutex> a(smu);
  std::shared_lock<std::shared_mutex> b(smu);
}

// Near miss: released before it is taken again.
void releasedBefore() {
  mu.lock();
  mu.unlock();
  mu.lock();
  mu.unlock();
  {
    std::lock_guard<std::mutex> g(mu);
  }
  std::lock_guard<std::mutex> g2(mu);
}

// Near miss: a try-lock fails instead of waiting.
void tryLockWhileHeld() {
  std::lock_guard<std::mutex> g(mu);
  if (mu.try_lock())
    mu.unlock();
  std::unique_lock<std::mutex> t(mu, std::try_to_lock);
}

// Near miss: a recursive mutex may be taken again.
void recursive() {
  std::lock_guard<std::recursive_mutex> a(rmu);
  std::lock_guard<std::recursive_mutex> b(rmu);
  rmu.lock();
  rmu.unlock();
}

// Near miss: held on one path only.
void heldOnOnePath(bool b) {
  if (b)
    mu.lock();
  mu.lock();
  mu.unlock();
}

// Near miss: the same member of two objects.
struct Account {
  std::mutex mu_;
  int balance = 0;
};
void transfer(Account &a, Account &b) {
  std::lock_guard<std::mutex> ga(a.mu_);
  std::lock_guard<std::mutex> gb(b.mu_);
  a.balance--;
  b.balance++;
}

// A lambda called in place runs with the caller's lock held.
void lambdaInPlace() {
  std::lock_guard<std::mutex> g(mu);
  auto again = [] {
    // CHECK: direct.cpp:[[@LINE+1]]:33: warning: lock 'mu' acquired while this thread already holds it
    std::lock_guard<std::mutex> inner(mu);
  };
  // CHECK: direct.cpp:[[@LINE+1]]:3: note: the lambda runs here, with the caller's locks held
  again();
}
