// RUN: not %concur --quiet %s -- %std -isystem %S/../../Inputs/mock | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std -isystem %S/../../Inputs/mock
//
// Every modelled condition wait, not only the standard one: POSIX and C11
// functions, Abseil's CondVar, a project's wrapper inferred from its body.
// absl::Mutex::Await takes its condition with it: silent.
#include <absl/synchronization/mutex.h>
#include <condition_variable>
#include <mutex>
#include <pthread.h>
#include <threads.h>

namespace port {
class CondVar;
class Mutex {
public:
  void Lock() { mu_.lock(); }
  void Unlock() { mu_.unlock(); }

private:
  friend class CondVar;
  std::mutex mu_;
};
// Shaped like leveldb's port::CondVar: its Wait() releases the mutex it was
// constructed with.
class CondVar {
public:
  explicit CondVar(Mutex *mu) : mu_(mu) {}
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_->mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }

private:
  std::condition_variable cv_;
  Mutex *const mu_;
};
} // namespace port

pthread_mutex_t pmu = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t pcv = PTHREAD_COND_INITIALIZER;
bool pready = false;

void posixIf() {
  pthread_mutex_lock(&pmu);
  if (!pready)
    // CHECK: other-models.cpp:[[@LINE+1]]:5: warning: 'pthread_cond_wait' without a predicate {{.*}}; wait in 'while (!pready)' rather than 'if' [concur-cv-wait-without-predicate]
    pthread_cond_wait(&pcv, &pmu);
  // CHECK: other-models.cpp:[[@LINE-3]]:7: note: the condition to re-check
  pthread_mutex_unlock(&pmu);
}

void posixLoop() {
  pthread_mutex_lock(&pmu);
  while (!pready)
    pthread_cond_wait(&pcv, &pmu);
  pthread_mutex_unlock(&pmu);
}

void posixTimedRetry(const struct timespec *deadline) {
  pthread_mutex_lock(&pmu);
  int rc = 0;
  while (!pready && rc == 0)
    rc = pthread_cond_timedwait(&pcv, &pmu, deadline);
  // CHECK: other-models.cpp:[[@LINE+1]]:3: warning: 'pthread_cond_timedwait' without a predicate
  pthread_cond_timedwait(&pcv, &pmu, deadline);
  pthread_mutex_unlock(&pmu);
}

mtx_t cmu;
cnd_t ccv;
int ccount = 0;

void c11() {
  mtx_lock(&cmu);
  // CHECK: other-models.cpp:[[@LINE+1]]:3: warning: 'cnd_wait' without a predicate
  cnd_wait(&ccv, &cmu);
  while (ccount == 0)
    cnd_wait(&ccv, &cmu);
  mtx_unlock(&cmu);
}

class Abseil {
  absl::Mutex mu_;
  absl::CondVar cv_;
  bool done_ = false;

public:
  void once() {
    absl::MutexLock lock(&mu_);
    if (!done_)
      // CHECK: other-models.cpp:[[@LINE+1]]:11: warning: 'absl::CondVar::Wait' without a predicate {{.*}}; wait in 'while (!done_)' rather than 'if'
      cv_.Wait(&mu_);
    // CHECK: other-models.cpp:[[@LINE-3]]:9: note: the condition to re-check
  }
  void loop() {
    absl::MutexLock lock(&mu_);
    while (!done_)
      cv_.Wait(&mu_);
  }
  void await(const absl::Condition &c) {
    absl::MutexLock lock(&mu_);
    mu_.Await(c);
  }
};

class Db {
  port::Mutex mu_;
  port::CondVar cv_{&mu_};
  int pending_ = 0;

public:
  void bad() {
    mu_.Lock();
    if (pending_ > 0)
      // CHECK: other-models.cpp:[[@LINE+1]]:11: warning: 'port::CondVar::Wait' without a predicate {{.*}}; wait in 'while (pending_ > 0)' rather than 'if'
      cv_.Wait();
    // CHECK: other-models.cpp:[[@LINE-3]]:9: note: the condition to re-check
    mu_.Unlock();
  }
  void good() {
    mu_.Lock();
    while (pending_ > 0)
      cv_.Wait();
    mu_.Unlock();
  }
};
