// RUN: not %concur --quiet --checks='concur-*,-concur-cv-wait-without-predicate' %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks='concur-*,-concur-cv-wait-without-predicate' %s -- %std
//
// C11 threads (<threads.h>): mtx_lock, mtx_timedlock and a successful
// mtx_trylock take the mutex, mtx_unlock gives it back; cnd_wait and
// cnd_timedwait release their own mutex while they wait; thrd_join and
// thrd_sleep block.
#include <threads.h>
#include <time.h>

mtx_t mu;
mtx_t other;
cnd_t cond;
int ready;

void sleepUnderLock() {
  struct timespec ts = {1, 0};
  mtx_lock(&mu);
  // CHECK: c11-threads.cpp:[[@LINE+1]]:3: warning: call to 'thrd_sleep' blocks until its timeout while holding lock 'mu'
  thrd_sleep(&ts, nullptr);
  // CHECK: c11-threads.cpp:[[@LINE-3]]:3: note: lock 'mu' acquired here
  mtx_unlock(&mu);
  thrd_sleep(&ts, nullptr); // near miss: unlocked
}

void joinUnderLock(thrd_t t) {
  mtx_lock(&mu);
  // CHECK: c11-threads.cpp:[[@LINE+1]]:3: warning: call to 'thrd_join' blocks while holding lock 'mu'
  thrd_join(t, nullptr);
  mtx_unlock(&mu);
}

void tryLock(thrd_t t) {
  if (mtx_trylock(&mu) == thrd_success) {
    // CHECK: c11-threads.cpp:[[@LINE+1]]:5: warning: call to 'thrd_join' blocks while holding lock 'mu'
    thrd_join(t, nullptr);
    mtx_unlock(&mu);
  } else {
    thrd_join(t, nullptr); // near miss: the try failed
  }
}

void timedLock(thrd_t t, const struct timespec *deadline) {
  if (mtx_timedlock(&mu, deadline) != thrd_success) {
    thrd_join(t, nullptr); // near miss: timed out
    return;
  }
  // CHECK: c11-threads.cpp:[[@LINE+1]]:3: warning: call to 'thrd_join' blocks while holding lock 'mu'
  thrd_join(t, nullptr);
  mtx_unlock(&mu);
}

// Near miss: cnd_wait releases the mutex it is given.
void waitOwnMutex() {
  mtx_lock(&mu);
  while (!ready)
    cnd_wait(&cond, &mu);
  mtx_unlock(&mu);
}

void waitHoldingAnother(const struct timespec *deadline) {
  mtx_lock(&other);
  mtx_lock(&mu);
  while (!ready)
    // CHECK: c11-threads.cpp:[[@LINE+1]]:5: warning: call to 'cnd_wait' blocks while holding lock 'other'; the wait releases only 'mu'
    cnd_wait(&cond, &mu);
  // CHECK: c11-threads.cpp:[[@LINE+1]]:3: warning: call to 'cnd_timedwait' blocks until its timeout while holding lock 'other'; the wait releases only 'mu'
  cnd_timedwait(&cond, &mu, deadline);
  mtx_unlock(&mu);
  mtx_unlock(&other);
}

// A helper that waits on its own C11 mutex and condition blocks its caller.
struct Gate {
  mtx_t m;
  cnd_t c;
  int open;
  void pass() {
    mtx_lock(&m);
    while (!open)
      cnd_wait(&c, &m);
    mtx_unlock(&m);
  }
};

void passUnderLock(Gate &g) {
  mtx_lock(&mu);
  // CHECK: c11-threads.cpp:[[@LINE+1]]:5: warning: call to 'Gate::pass' blocks while holding lock 'mu' (it calls 'cnd_wait')
  g.pass();
  mtx_unlock(&mu);
}
