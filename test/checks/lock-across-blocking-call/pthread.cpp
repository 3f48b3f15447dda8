// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// pthread mutexes, rwlocks and condition variables.
#include <pthread.h>
#include <unistd.h>

pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t other = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
int ready;

void lockSleepUnlock() {
  pthread_mutex_lock(&mu);
  // CHECK: pthread.cpp:[[@LINE+1]]:3: warning: call to 'usleep' blocks while holding lock 'mu'
  usleep(100);
  // CHECK: pthread.cpp:[[@LINE-3]]:3: note: lock 'mu' acquired here
  pthread_mutex_unlock(&mu);
  usleep(100); // near miss: unlocked
}

void trylockZeroIsSuccess() {
  if (pthread_mutex_trylock(&mu) == 0) {
    // CHECK: pthread.cpp:[[@LINE+1]]:5: warning: call to 'sleep' blocks while holding lock 'mu'
    sleep(1);
    pthread_mutex_unlock(&mu);
  } else {
    sleep(1); // near miss: trylock failed (non-zero)
  }
}

void trylockNonZeroIsFailure() {
  if (pthread_mutex_trylock(&mu)) {
    sleep(1); // near miss: failed
    return;
  }
  // CHECK: pthread.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(1);
  pthread_mutex_unlock(&mu);
}

void rwlocks(int fd, char *buf) {
  pthread_rwlock_rdlock(&rw);
  // CHECK: pthread.cpp:[[@LINE+1]]:3: warning: call to 'read' may block while holding lock 'rw'
  read(fd, buf, 1);
  // CHECK: pthread.cpp:[[@LINE-3]]:3: note: shared lock 'rw' acquired here
  pthread_rwlock_unlock(&rw);
  pthread_rwlock_wrlock(&rw);
  // CHECK: pthread.cpp:[[@LINE+1]]:3: warning: call to 'write' may block while holding lock 'rw'
  write(fd, buf, 1);
  pthread_rwlock_unlock(&rw);
}

// Near miss: pthread_cond_wait releases the mutex it is given.
void condWaitOwnMutex() {
  pthread_mutex_lock(&mu);
  while (!ready)
    pthread_cond_wait(&cond, &mu);
  pthread_mutex_unlock(&mu);
}

void condWaitWithAnotherLock() {
  pthread_mutex_lock(&other);
  pthread_mutex_lock(&mu);
  while (!ready)
    // CHECK: pthread.cpp:[[@LINE+1]]:5: warning: call to 'pthread_cond_wait' blocks while holding lock 'other'; the wait releases only 'mu'
    pthread_cond_wait(&cond, &mu);
  pthread_mutex_unlock(&mu);
  pthread_mutex_unlock(&other);
}

void joinUnderLock(pthread_t t) {
  pthread_mutex_lock(&mu);
  // CHECK: pthread.cpp:[[@LINE+1]]:3: warning: call to 'pthread_join' blocks while holding lock 'mu'
  pthread_join(t, nullptr);
  pthread_mutex_unlock(&mu);
}
