// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// A try-lock whose result nobody tests, followed on the same path by an
// unlock of its lock, is code that assumes it holds the lock: it is taken
// as held from the try on. A tested try-lock holds only on the branch that
// tested success.
#include <mutex>
#include <pthread.h>
#include <unistd.h>

std::mutex mu;
std::timed_mutex tmu;
pthread_mutex_t pmu = PTHREAD_MUTEX_INITIALIZER;

void unchecked() {
  mu.try_lock();
  // CHECK: unchecked-trylock.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(1);
  // CHECK: unchecked-trylock.cpp:[[@LINE-3]]:6: note: lock 'mu' acquired here
  mu.unlock();
}

void castToVoid() {
  (void)tmu.try_lock_for(std::chrono::milliseconds(10));
  // CHECK: unchecked-trylock.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'tmu'
  sleep(1);
  tmu.unlock();
}

void uncheckedPthread() {
  pthread_mutex_trylock(&pmu);
  // CHECK: unchecked-trylock.cpp:[[@LINE+1]]:3: warning: call to 'usleep' blocks while holding lock 'pmu'
  usleep(1);
  pthread_mutex_unlock(&pmu);
}

void uncheckedGuard() {
  std::unique_lock<std::mutex> lk(mu, std::defer_lock);
  lk.try_lock();
  // CHECK: unchecked-trylock.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(1);
  lk.unlock();
}

void unlockOnOneBranch(bool b) {
  mu.try_lock();
  // CHECK: unchecked-trylock.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(1);
  if (b)
    mu.unlock();
}

// Near miss: no unlock follows; nothing says the code assumes the lock.
void neverUnlocked() {
  mu.try_lock();
  sleep(1);
}

// Near miss: the unlock comes before the try.
void unlockBefore() {
  mu.unlock();
  mu.try_lock();
  sleep(1);
}

// Near misses: a tested try keeps the branch handling.
void tested() {
  if (mu.try_lock()) {
    // CHECK: unchecked-trylock.cpp:[[@LINE+1]]:5: warning: call to 'sleep' blocks while holding lock 'mu'
    sleep(1);
    mu.unlock();
  } else {
    sleep(1);
  }
}

void storedAndTestedLater() {
  bool ok = mu.try_lock();
  sleep(1);
  if (ok)
    mu.unlock();
}
