// RUN: not %concur --quiet %s -- %std -I%S/Inputs | FileCheck %s --implicit-check-not="warning:"
// RUN: not %concur --quiet --rules=%S/Inputs/ext-rules.json %s -- %std -I%S/Inputs | FileCheck %s --check-prefixes=CHECK,RULES --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std -I%S/Inputs
//
// Every check sees through a project's own lock types, inferred from their
// bodies or attributes (Inputs/wrappers.h): no rule names them.
#include "wrappers.h"
#include <unistd.h>

app::Mutex mu;
app::Mutex other;
app::SpinLock spin;
annotated::Lock alock;
ext::Lock elock;

void guardThenSleep() {
  app::MutexLock lock(&mu);
  // CHECK: wrappers.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu' [concur-lock-across-blocking-call]
  sleep(1);
  // CHECK: wrappers.cpp:[[@LINE-3]]:18: note: lock 'mu' acquired here
}

// An AssertHeld() with an empty body (compiled out) still says the lock is
// held from there on.
void assertedThenSleep() {
  mu.AssertHeld();
  // CHECK: wrappers.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu' [concur-lock-across-blocking-call]
  sleep(1);
  // CHECK: wrappers.cpp:[[@LINE-3]]:6: note: lock 'mu' asserted held here
}

void guardUnlockedMidway() {
  app::MutexLock lock(&mu);
  lock.Unlock();
  sleep(1); // near miss: the guard gave the lock back
}

void manualLockUnlock() {
  mu.Lock();
  // CHECK: wrappers.cpp:[[@LINE+1]]:3: warning: call to 'usleep' blocks while holding lock 'mu'
  usleep(10);
  mu.Unlock();
  usleep(10); // near miss
}

void tryLock() {
  if (mu.TryLock()) {
    // CHECK: wrappers.cpp:[[@LINE+1]]:5: warning: call to 'sleep' blocks while holding lock 'mu'
    sleep(1);
    mu.Unlock();
  } else {
    sleep(1); // near miss: the try failed
  }
}

void wrapperOfWrapper() {
  std::lock_guard<app::SpinLock> g(spin);
  // CHECK: wrappers.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'spin'
  sleep(1);
}

pocolike::Mutex pmu;

void throughPrivateBase() {
  pocolike::ScopedLock<pocolike::Mutex> lock(pmu);
  // CHECK: wrappers.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'pmu'
  sleep(1);
}

void unlockThroughOwnMethod() {
  pocolike::ScopedLockWithUnlock<pocolike::Mutex> lock(pmu);
  // CHECK: wrappers.cpp:[[@LINE+1]]:3: warning: call to 'usleep' blocks while holding lock 'pmu'
  usleep(1);
  lock.unlock();
  usleep(1); // near miss: released early
}

int pending = 0;
void tryWithComputedResult() {
  if (spin.try_lock()) {
    // CHECK: wrappers.cpp:[[@LINE+1]]:5: warning: call to 'sleep' blocks while holding lock 'spin'
    sleep(1);
    spin.unlock();
  }
  sleep(1); // near miss: not held on the path where the try failed
}

void annotatedGuard() {
  annotated::Hold h(&alock);
  // CHECK: wrappers.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'alock'
  sleep(1);
}

void bodyNotVisible() {
  elock.lock();
  // Not modelled without a rule; with Inputs/ext-rules.json it is.
  // RULES: wrappers.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'elock'
  sleep(1);
  elock.unlock();
}

app::CondVar cv(&mu);
app::Condition cond;
bool ready = false;

void waitReleasesBoundMutex() {
  app::MutexLock lock(&mu);
  while (!ready)
    cv.Wait(); // near miss: the wait releases mu, the only lock held
}

void waitHoldingAnother() {
  app::MutexLock outer(&other);
  app::MutexLock lock(&mu);
  while (!ready)
    // CHECK: wrappers.cpp:[[@LINE+1]]:8: warning: call to 'app::CondVar::Wait' blocks while holding lock 'other'; the wait releases only 'mu'
    cv.Wait();
}

app::TimedMutex tmu;
app::TimedCondVar tcv(&tmu);

void wrappedWaitReleasesBoundMutex() {
  tmu.Lock();
  while (!ready)
    tcv.Wait(); // near miss: the wrapper's wait releases tmu, held alone
  tmu.Unlock();
}

void wrappedWaitHoldingAnother() {
  app::MutexLock outer(&other);
  tmu.Lock();
  while (!ready)
    // CHECK: wrappers.cpp:[[@LINE+1]]:9: warning: call to 'app::TimedCondVar::Wait' blocks while holding lock 'other'; the wait releases only 'tmu'
    tcv.Wait();
  tmu.Unlock();
}

void waitReleasesArgument() {
  app::MutexLock lock(&mu);
  while (!ready)
    cond.wait(mu); // near miss: the wait releases its argument
}

// A writer queue shaped like leveldb's DBImpl::Write: each writer has a
// condition variable bound to the mutex its constructor is given.
struct Writer {
  explicit Writer(app::Mutex *mu) : cv(mu) {}
  bool done = false;
  app::CondVar cv;
};

void waitForTurn() {
  Writer w(&mu);
  app::MutexLock lock(&mu);
  while (!w.done)
    w.cv.Wait(); // near miss: releases mu, the writer's mutex
}

void waitForTurnHoldingAnother() {
  app::MutexLock outer(&other);
  Writer w(&mu);
  app::MutexLock lock(&mu);
  while (!w.done)
    // CHECK: wrappers.cpp:[[@LINE+1]]:10: warning: call to 'app::CondVar::Wait' blocks while holding lock 'other'; the wait releases only 'mu'
    w.cv.Wait();
}

// The constructor that binds cv_ is in another file (as RocksDB's DBImpl
// binds bg_cv_ in db_impl.cc): the wait releases a lock concur cannot
// name, so only a second lock held counts.
class Queue {
public:
  Queue();
  void take() {
    app::MutexLock l(&mu_);
    while (!ready_)
      cv_.Wait(); // near miss
  }
  void takeHoldingAnother() {
    app::MutexLock outer(&other);
    app::MutexLock l(&mu_);
    while (!ready_)
      // CHECK: wrappers.cpp:[[@LINE+1]]:11: warning: call to 'app::CondVar::Wait' blocks while holding locks 'other' and 'mu_'
      cv_.Wait();
  }

private:
  app::Mutex mu_;
  app::CondVar cv_;
  bool ready_ = false;
};

// concur-unguarded-field through the wrapper guard.
class Registry {
  app::Mutex mu_;
  int entries_ = 0;

public:
  void add() {
    app::MutexLock lock(&mu_);
    ++entries_;
  }
  void remove() {
    app::MutexLock lock(&mu_);
    --entries_;
  }
  // CHECK: wrappers.cpp:[[@LINE+1]]:23: note: field 'entries_' is read without holding 'mu_'
  int size() { return entries_; }
};
