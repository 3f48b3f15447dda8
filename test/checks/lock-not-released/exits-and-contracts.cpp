// RUN: not %concur --quiet --checks=-*,concur-lock-not-released %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-lock-not-released %s -- %std
//
// More ways out while a hand-taken lock is held: a return from inside a
// loop, a return from a switch case. The near misses: functions whose
// contract is to return holding the lock (an ACQUIRE annotation, a
// returned guard, the lock()/unlock() methods of a lock type), and a call
// that may throw (concur reports explicit throws only; see the docs).
#include <mutex>

#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
class __attribute__((capability("mutex"))) Mutex {
public:
  void Lock() ACQUIRE();
  void Unlock() RELEASE();
};

std::mutex mu;
Mutex amu;
int state;

int returnFromLoop(int n) {
  for (int i = 0; i < n; ++i) {
    mu.lock();
    if (i == state)
      // CHECK: exits-and-contracts.cpp:[[@LINE+1]]:7: warning: lock 'mu' is still held when the function returns here; other paths release it, and nothing will on this one
      return i;
    // CHECK: exits-and-contracts.cpp:[[@LINE-4]]:8: note: lock 'mu' acquired here
    mu.unlock();
  }
  return -1;
}

void returnFromSwitch(int v) {
  mu.lock();
  switch (v) {
  case 1:
    // CHECK: exits-and-contracts.cpp:[[@LINE+1]]:5: warning: lock 'mu' is still held when the function returns here
    return;
  default:
    state = v;
    break;
  }
  mu.unlock();
}

// Near miss: annotated as returning with the lock held.
void enter(bool fast) ACQUIRE(amu) {
  if (fast) {
    amu.Lock();
    return;
  }
  state++;
  amu.Lock();
}

// Near miss: the guard is handed to the caller.
std::unique_lock<std::mutex> hold(bool early) {
  std::unique_lock<std::mutex> lk(mu);
  if (early)
    return lk;
  state++;
  return lk;
}

// Near miss: a lock type's own lock()/unlock().
class Wrapped {
  std::mutex inner_;

public:
  void lock() { inner_.lock(); }
  void unlock() { inner_.unlock(); }
};

// Near miss: a call that may throw between lock() and unlock() (not
// reported: concur does not guess which calls throw).
void mayThrow();
void callThatMayThrow() {
  mu.lock();
  mayThrow();
  mu.unlock();
}
