// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// A lock type known only from Clang's thread-safety attributes: no rule
// names it, its ACQUIRE / RELEASE / ASSERT_CAPABILITY attributes say what
// its methods do.
#include <unistd.h>

class __attribute__((capability("mutex"))) Mutex {
public:
  void Lock() __attribute__((acquire_capability()));
  void Unlock() __attribute__((release_capability()));
  void ReaderLock() __attribute__((acquire_shared_capability()));
  void ReaderUnlock() __attribute__((release_shared_capability()));
  void AssertHeld() __attribute__((assert_capability(this)));
};

Mutex mu;

void lockSleepUnlock() {
  mu.Lock();
  // CHECK: annotated-locks.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(1);
  mu.Unlock();
  sleep(1); // near miss: unlocked
}

void reader() {
  mu.ReaderLock();
  // CHECK: annotated-locks.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(1);
  // CHECK: annotated-locks.cpp:[[@LINE-3]]:6: note: shared lock 'mu' acquired here
  mu.ReaderUnlock();
}

class Table {
  Mutex mu_;
  void lockAll() __attribute__((acquire_capability(mu_))) { mu_.Lock(); }
  void unlockAll() __attribute__((release_capability(mu_))) { mu_.Unlock(); }

public:
  void rebuild() {
    lockAll();
    // CHECK: annotated-locks.cpp:[[@LINE+1]]:5: warning: call to 'usleep' blocks while holding lock 'mu_'
    usleep(10);
    unlockAll();
    usleep(10); // near miss
  }
};

// Near miss: the implementation of a lock type is not checked against its
// own model (shaped like absl::Mutex::AwaitCommon).
class __attribute__((capability("mutex"))) SpinMutex {
public:
  void AssertHeld() __attribute__((assert_capability(this)));
  void Await() {
    this->AssertHeld();
    unlockSlow();
    usleep(10);
  }

private:
  void unlockSlow();
};
