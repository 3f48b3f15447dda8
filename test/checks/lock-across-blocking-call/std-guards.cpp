// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// RAII guards from <mutex> and <shared_mutex>: what is held, and for how long.
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <thread>

using namespace std::chrono_literals;

std::mutex mu, other;
std::shared_mutex rw;
int counter;

void lockGuardHeld() {
  std::lock_guard<std::mutex> g(mu);
  // CHECK: std-guards.cpp:[[@LINE+1]]:3: warning: call to 'std::this_thread::sleep_for' blocks until its timeout while holding lock 'mu' [concur-lock-across-blocking-call]
  std::this_thread::sleep_for(10ms);
  // CHECK: std-guards.cpp:[[@LINE-3]]:31: note: lock 'mu' acquired here
}

void lockGuardCtad() {
  std::lock_guard g(mu);
  // CHECK: std-guards.cpp:[[@LINE+1]]:3: warning: call to 'std::this_thread::sleep_for'
  std::this_thread::sleep_for(10ms);
}

// Near miss: the guard's scope ended before the call.
void innerScopeEnded() {
  {
    std::lock_guard<std::mutex> g(mu);
    ++counter;
  }
  std::this_thread::sleep_for(10ms);
}

// Near miss: blocking before the lock is taken.
void blockThenLock() {
  std::this_thread::sleep_for(10ms);
  std::lock_guard<std::mutex> g(mu);
  ++counter;
}

void scopedLockOfTwo() {
  std::scoped_lock lk(mu, other);
  // CHECK: std-guards.cpp:[[@LINE+1]]:3: warning: call to 'std::this_thread::sleep_for' blocks until its timeout while holding locks 'mu' and 'other'
  std::this_thread::sleep_for(10ms);
}

void scopedLockAdopt() {
  std::lock(mu, other);
  std::scoped_lock lk(std::adopt_lock, mu, other);
  // CHECK: std-guards.cpp:[[@LINE+1]]:3: warning: call to 'std::this_thread::sleep_for' blocks until its timeout while holding locks 'mu' and 'other'
  std::this_thread::sleep_for(10ms);
}

void uniqueLockUnlockBefore() {
  std::unique_lock<std::mutex> lk(mu);
  ++counter;
  lk.unlock();
  std::this_thread::sleep_for(10ms); // near miss: unlocked just before
  lk.lock();
  // CHECK: std-guards.cpp:[[@LINE+1]]:3: warning: call to 'std::this_thread::sleep_for'
  std::this_thread::sleep_for(10ms);
  // CHECK: std-guards.cpp:[[@LINE-3]]:6: note: lock 'mu' acquired here
}

void uniqueLockDeferred() {
  std::unique_lock<std::mutex> lk(mu, std::defer_lock);
  std::this_thread::sleep_for(10ms); // near miss: not locked yet
  lk.lock();
  // CHECK: std-guards.cpp:[[@LINE+1]]:3: warning: call to 'std::this_thread::sleep_for'
  std::this_thread::sleep_for(10ms);
}

void tryToLockFailedBranch() {
  std::unique_lock<std::mutex> lk(mu, std::try_to_lock);
  if (!lk.owns_lock()) {
    std::this_thread::sleep_for(10ms); // near miss: the try failed here
    return;
  }
  // CHECK: std-guards.cpp:[[@LINE+1]]:3: warning: call to 'std::this_thread::sleep_for'
  std::this_thread::sleep_for(10ms);
}

void tryToLockOperatorBool() {
  std::unique_lock<std::mutex> lk(mu, std::try_to_lock);
  if (lk) {
    // CHECK: std-guards.cpp:[[@LINE+1]]:5: warning: call to 'std::this_thread::sleep_for'
    std::this_thread::sleep_for(10ms);
  } else {
    std::this_thread::sleep_for(10ms); // near miss: not acquired
  }
}

// Near miss: a try whose outcome is never tested is not assumed to hold.
void tryToLockUntested() {
  std::unique_lock<std::mutex> lk(mu, std::try_to_lock);
  std::this_thread::sleep_for(10ms);
}

void uniqueLockRelease() {
  std::unique_lock<std::mutex> lk(mu);
  std::mutex *m = lk.release(); // still locked, now by hand
  // CHECK: std-guards.cpp:[[@LINE+1]]:3: warning: call to 'std::this_thread::sleep_for'
  std::this_thread::sleep_for(10ms);
  m->unlock();
}

void uniqueLockMoved() {
  std::unique_lock<std::mutex> a(mu);
  std::unique_lock<std::mutex> b(std::move(a));
  // CHECK: std-guards.cpp:[[@LINE+1]]:3: warning: call to 'std::this_thread::sleep_for'
  std::this_thread::sleep_for(10ms);
  b.unlock();
  std::this_thread::sleep_for(10ms); // near miss: the new owner unlocked it
}

void sharedLockHeld() {
  std::shared_lock<std::shared_mutex> lk(rw);
  // CHECK: std-guards.cpp:[[@LINE+1]]:3: warning: call to 'std::this_thread::sleep_for' blocks until its timeout while holding lock 'rw'
  std::this_thread::sleep_for(10ms);
  // CHECK: std-guards.cpp:[[@LINE-3]]:39: note: shared lock 'rw' acquired here
}

// Near miss: locked on one path only (the join keeps what every path holds).
void lockedOnOnePath(bool b) {
  std::unique_lock<std::mutex> lk(mu, std::defer_lock);
  if (b)
    lk.lock();
  std::this_thread::sleep_for(10ms);
}

// A zero timeout is a poll, not a block.
void zeroTimeout() {
  std::lock_guard<std::mutex> g(mu);
  std::this_thread::sleep_for(0ms);
  std::this_thread::sleep_for(std::chrono::milliseconds(0));
  std::this_thread::sleep_for(std::chrono::milliseconds::zero());
}

// A guard in a loop body is released at the end of every iteration.
void loopBody(int n) {
  for (int i = 0; i < n; ++i) {
    std::lock_guard<std::mutex> g(mu);
    ++counter;
  }
  std::this_thread::sleep_for(10ms);
}
