// RUN: not %concur --quiet --checks=-*,concur-lock-not-released %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-lock-not-released %s -- %std
//
// A lock taken by hand and left held on one way out of the function while
// another way out releases it: an early return, a break out of the locked
// region, a throw. The near misses: guards, every path releasing, functions
// meant to return holding the lock.
#include <mutex>
#include <pthread.h>
#include <stdexcept>

std::mutex mu;
pthread_mutex_t pmu = PTHREAD_MUTEX_INITIALIZER;
int state;

int earlyReturn(int v) {
  mu.lock();
  // CHECK: paths.cpp:[[@LINE+2]]:5: warning: lock 'mu' is still held when the function returns here; other paths release it, and nothing will on this one [concur-lock-not-released]
  if (v < 0)
    return -1;
  // CHECK: paths.cpp:[[@LINE-4]]:6: note: lock 'mu' acquired here
  state = v;
  mu.unlock();
  return 0;
}

void throwsWhileHeld(int v) {
  pthread_mutex_lock(&pmu);
  if (v < 0)
    // CHECK: paths.cpp:[[@LINE+1]]:5: warning: lock 'pmu' is still held when the exception thrown here leaves the function
    throw std::invalid_argument("negative");
  state = v;
  pthread_mutex_unlock(&pmu);
}

int gotoOut(int v) {
  mu.lock();
  if (v < 0)
    goto fail;
  state = v;
  mu.unlock();
  return 0;
fail:
  // CHECK: paths.cpp:[[@LINE+1]]:3: warning: lock 'mu' is still held when the function returns here
  return -1;
}

void fallsOffTheEnd(int v) {
  if (v < 0)
    return;
  mu.lock();
  state = v;
  // CHECK: paths.cpp:[[@LINE+1]]:1: warning: lock 'mu' is still held when the function ends here
}

// A known limit: a `break` out of the locked region whose path joins a
// releasing path before the way out is not seen (the engine's held set is
// an intersection over the paths that meet; see the docs page).
void breakOut(int n) {
  for (int i = 0; i < n; ++i) {
    mu.lock();
    if (i == 3)
      break;
    mu.unlock();
  }
}

// Near miss: every path releases.
int everyPathReleases(int v) {
  mu.lock();
  if (v < 0) {
    mu.unlock();
    return -1;
  }
  mu.unlock();
  return 0;
}

// Near miss: a guard releases on every path, exceptions included.
int guarded(int v) {
  std::lock_guard<std::mutex> g(mu);
  if (v < 0)
    throw std::invalid_argument("negative");
  if (v == 0)
    return -1;
  return v;
}

// Near miss: a throw caught in the function.
void caught(int v) {
  mu.lock();
  try {
    if (v < 0)
      throw std::invalid_argument("negative");
  } catch (...) {
  }
  mu.unlock();
}

// Near miss: meant to return holding the lock (its name says so), and a
// try-lock wrapper that holds it exactly when it returns true.
void lockIfReady(bool ready) {
  if (ready)
    mu.lock();
}
bool tryEnter() {
  if (!mu.try_lock())
    return false;
  if (state < 0) {
    mu.unlock();
    return false;
  }
  return true;
}

// Near miss: held on every way out, handed to the caller (begin/end pair).
void beginUpdate() { mu.lock(); }
void endUpdate() { mu.unlock(); }

// Near miss: a helper releases the caller's lock on the early path.
void unlockAndLog() { mu.unlock(); }
int releasedByHelper(int v) {
  mu.lock();
  if (v < 0) {
    unlockAndLog();
    return -1;
  }
  mu.unlock();
  return 0;
}

// Near miss: a function called with the lock held that gives it back
// while it works and takes it again (leveldb's RemoveObsoleteFiles shape);
// its early return leaves the lock as the caller had it.
void workUnlocked(bool nothingToDo) {
  if (nothingToDo)
    return;
  mu.unlock();
  state++;
  mu.lock();
}

// Near miss: a guard's destructor releases the lock however it was
// re-locked by hand in between.
int relockedUnderGuard(int v) {
  std::unique_lock<std::mutex> g(mu);
  mu.unlock();
  state = v;
  mu.lock();
  if (v < 0)
    return -1;
  return 0;
}

// Near miss: the same, annotated as called with the lock held.
struct Db {
  std::mutex mu_;
  int files_ = 0;
  void removeObsolete() __attribute__((requires_capability(mu_))) {
    if (files_ == 0)
      return;
    mu_.unlock();
    files_--;
    mu_.lock();
  }
};

// Near miss: the caller's lock reached through a pointer member, given back
// around a join and taken again (rocksdb's ErrorHandler shape).
struct Handler {
  std::mutex *db_mu_;
  bool waiting_ = false;
  int recover() {
    if (!waiting_)
      return 0;
    db_mu_->unlock();
    waiting_ = false;
    db_mu_->lock();
    return 1;
  }
};

// Near miss: the same, with the caller's lock asserted held first.
class __attribute__((capability("mutex"))) AMutex {
public:
  void Lock() __attribute__((acquire_capability()));
  void Unlock() __attribute__((release_capability()));
  void AssertHeld() __attribute__((assert_capability(this)));
};
struct Recovery {
  AMutex *db_mu_;
  bool pending_ = false;
  int resume() {
    db_mu_->AssertHeld();
    if (!pending_)
      return 0;
    db_mu_->Unlock();
    pending_ = false;
    db_mu_->Lock();
    return 1;
  }
};
