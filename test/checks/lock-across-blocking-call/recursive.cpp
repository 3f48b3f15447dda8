// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// A recursive mutex is held until every lock has its unlock: locked twice
// and unlocked once, it is still held; an inner guard that goes out of
// scope leaves the outer hold in place.
#include <mutex>
#include <unistd.h>

std::recursive_mutex rmu;
std::recursive_timed_mutex rtmu;

void lockedTwiceUnlockedOnce() {
  rmu.lock();
  rmu.lock();
  rmu.unlock();
  // CHECK: recursive.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'rmu'
  sleep(1);
  // CHECK: recursive.cpp:[[@LINE-5]]:7: note: lock 'rmu' acquired here
  rmu.unlock();
  sleep(1); // near miss: unlocked as often as locked
}

void innerGuardLeavesOuterHold() {
  std::lock_guard<std::recursive_mutex> outer(rmu);
  {
    std::lock_guard<std::recursive_mutex> inner(rmu);
  }
  // CHECK: recursive.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'rmu'
  sleep(1);
}

void innerGuardOverManualLock() {
  rtmu.lock();
  {
    std::unique_lock<std::recursive_timed_mutex> inner(rtmu);
    inner.unlock();
  }
  // CHECK: recursive.cpp:[[@LINE+1]]:3: warning: call to 'usleep' blocks while holding lock 'rtmu'
  usleep(1);
  rtmu.unlock();
  usleep(1); // near miss: released
}

// A helper that takes the recursive lock again: the caller's hold stays.
void helperLocksAgain() {
  std::lock_guard<std::recursive_mutex> g(rmu);
}
void callerKeepsItsHold() {
  std::lock_guard<std::recursive_mutex> g(rmu);
  helperLocksAgain();
  // CHECK: recursive.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'rmu'
  sleep(1);
}

// Near miss: held twice on one path and once on the other, then unlocked
// once: not held on every path.
void unevenPaths(bool b) {
  rmu.lock();
  if (b)
    rmu.lock();
  rmu.unlock();
  sleep(1);
  if (b)
    rmu.unlock();
}

// Near miss: both guards' scopes have ended.
void bothScopesEnd() {
  {
    std::lock_guard<std::recursive_mutex> outer(rmu);
    std::lock_guard<std::recursive_mutex> inner(rmu);
  }
  sleep(1);
}

// Near miss: a plain mutex is free after its unlock.
std::mutex plain;
void plainMutex() {
  plain.lock();
  plain.unlock();
  sleep(1);
}
