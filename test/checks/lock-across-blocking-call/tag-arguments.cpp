// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// std::scoped_lock and std::lock skip their arguments only when they are
// the standard tags (std::adopt_lock_t, std::defer_lock_t,
// std::try_to_lock_t), never because a lock's class has no data members.
#include <mutex>
#include <unistd.h>

// A lock with no data members of its own (it spins on a global flag).
class __attribute__((capability("mutex"))) SpinLock {
public:
  void lock() __attribute__((acquire_capability()));
  void unlock() __attribute__((release_capability()));
  bool try_lock() __attribute__((try_acquire_capability(true)));
};

SpinLock spin;
std::mutex mu;

void scopedLockOfAnEmptyClass() {
  std::scoped_lock lk(spin, mu);
  // CHECK: tag-arguments.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding locks 'spin' and 'mu'
  sleep(1);
}

void scopedLockOfOne() {
  std::scoped_lock lk(spin);
  // CHECK: tag-arguments.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'spin'
  sleep(1);
}

void stdLock() {
  std::lock(spin, mu);
  // CHECK: tag-arguments.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding locks 'spin' and 'mu'
  sleep(1);
  spin.unlock();
  mu.unlock();
  sleep(1); // near miss: both unlocked
}

void adoptTag() {
  std::lock(spin, mu);
  std::scoped_lock lk(std::adopt_lock, spin, mu);
  // CHECK: tag-arguments.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding locks 'spin' and 'mu'
  sleep(1);
}

// Near misses: the tags are not locks, and a deferred guard holds nothing.
void deferTag() {
  std::unique_lock<std::mutex> a(mu, std::defer_lock);
  std::unique_lock<SpinLock> b(spin, std::defer_lock);
  sleep(1);
}

void adoptScopeEnds() {
  {
    std::lock(spin, mu);
    std::scoped_lock lk(std::adopt_lock, spin, mu);
  }
  sleep(1);
}
