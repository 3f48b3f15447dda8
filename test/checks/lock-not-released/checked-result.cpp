// RUN: not %concur --quiet --checks=-*,concur-lock-not-released %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-lock-not-released %s -- %std
//
// A C lock function says by a nonzero result that it failed, and then the
// lock is not held: `if (pthread_mutex_lock(&m)) throw ...;` leaves with
// nothing to release (Poco's Event_POSIX.h and Semaphore_POSIX.cpp are
// written so). The acquisition is still a blocking one, not a try.
#include <pthread.h>
#include <stdexcept>
#include <threads.h>

struct Event {
  pthread_mutex_t mu;
  pthread_cond_t cond;
  bool state = false;

  // Near miss: the throw is on the branch where the lock was not taken.
  void set() {
    if (pthread_mutex_lock(&mu))
      throw std::runtime_error("cannot lock");
    state = true;
    pthread_mutex_unlock(&mu);
  }

  // Near miss: the same, compared with 0 and returning.
  bool reset() {
    if (pthread_mutex_lock(&mu) != 0)
      return false;
    state = false;
    pthread_mutex_unlock(&mu);
    return true;
  }

  // Near miss: C11's mtx_lock, tested for thrd_success.
  void c11(mtx_t *m) {
    if (mtx_lock(m) != thrd_success)
      return;
    state = true;
    mtx_unlock(m);
  }

  // Reported: on the branch where the lock WAS taken, the throw leaves it
  // held.
  void signal() {
    if (pthread_mutex_lock(&mu) == 0) {
      if (pthread_cond_broadcast(&cond))
        // CHECK: [[@LINE+1]]:9: warning: lock 'mu' is still held when the exception thrown here leaves the function
        throw std::runtime_error("cannot signal");
      pthread_mutex_unlock(&mu);
    }
  }

  // Reported: the result is not tested, so the early return leaves it held.
  bool wait(bool quick) {
    pthread_mutex_lock(&mu);
    if (quick)
      // CHECK: [[@LINE+1]]:7: warning: lock 'mu' is still held when the function returns here
      return state;
    pthread_mutex_unlock(&mu);
    return false;
  }
};
