// Lock wrappers shaped like the ones real code bases write (zeromq's
// mutex_t / scoped_lock_t / condition_variable_t, leveldb's port::Mutex /
// MutexLock / port::CondVar, Poco's Mutex / ScopedLock), for the
// inference tests. No rules file names any of them.
#pragma once
#include <mutex>
#include <pthread.h>

namespace app {

// A pthread-backed mutex.
class Mutex {
public:
  Mutex() { pthread_mutex_init(&mu_, nullptr); }
  ~Mutex() { pthread_mutex_destroy(&mu_); }
  void Lock() { pthread_mutex_lock(&mu_); }
  bool TryLock() { return pthread_mutex_trylock(&mu_) == 0; }
  void Unlock() { pthread_mutex_unlock(&mu_); }
  // Compiled out of release builds: the name says what it claims.
  void AssertHeld() {}
  pthread_mutex_t *native() { return &mu_; }

private:
  pthread_mutex_t mu_;
};

// Its guard: takes the mutex in the constructor, gives it back in the
// destructor, and can give it back early.
class MutexLock {
public:
  explicit MutexLock(Mutex *mu) : mu_(mu), locked_(true) { mu_->Lock(); }
  ~MutexLock() {
    if (locked_)
      mu_->Unlock();
  }
  void Unlock() {
    mu_->Unlock();
    locked_ = false;
  }

private:
  Mutex *const mu_;
  bool locked_;
};

// A wrapper of the wrapper, with std-style names.
class SpinLock {
public:
  void lock() { inner_.Lock(); }
  void unlock() { inner_.Unlock(); }
  // zeromq's shape: the result is computed, not the try's own.
  bool try_lock() {
    if (!inner_.TryLock())
      return false;
    return true;
  }

private:
  Mutex inner_;
};

// A condition variable bound to a mutex at construction (leveldb's shape).
class CondVar {
public:
  explicit CondVar(Mutex *mu) : mu_(mu) { pthread_cond_init(&cv_, nullptr); }
  void Wait() { pthread_cond_wait(&cv_, mu_->native()); }
  void Signal() { pthread_cond_signal(&cv_); }

private:
  pthread_cond_t cv_;
  Mutex *const mu_;
};

// A mutex over a mutex, and a condition variable over a condition
// variable bound to the inner one (RocksDB's InstrumentedMutex and
// InstrumentedCondVar over port::Mutex and port::CondVar).
class TimedCondVar;
class TimedMutex {
public:
  void Lock() { mu_.Lock(); }
  void Unlock() { mu_.Unlock(); }

private:
  friend class TimedCondVar;
  Mutex mu_;
};

class TimedCondVar {
public:
  explicit TimedCondVar(TimedMutex *m) : cv_(&m->mu_) {}
  void Wait() { waitInternal(); }
  void Signal() { cv_.Signal(); }

private:
  // The wrapper's own wait: its callers loop, not it.
  void waitInternal() { cv_.Wait(); }
  CondVar cv_;
};

// A condition variable given the mutex at each wait (zeromq's shape).
class Condition {
public:
  void wait(Mutex &mu) { pthread_cond_wait(&cv_, mu.native()); }
  void notify() { pthread_cond_broadcast(&cv_); }

private:
  pthread_cond_t cv_;
};

} // namespace app

// Poco's shape: the public lock() of a class calls a protected helper of a
// private base that holds the pthread mutex; a class-template guard.
namespace pocolike {
class MutexImpl {
protected:
  void lockImpl() { pthread_mutex_lock(&mutex_); }
  void unlockImpl() { pthread_mutex_unlock(&mutex_); }

private:
  pthread_mutex_t mutex_;
};
class Mutex : private MutexImpl {
public:
  void lock() { lockImpl(); }
  void unlock() { unlockImpl(); }
};
template <class M> class ScopedLock {
public:
  explicit ScopedLock(M &mutex) : mutex_(mutex) { mutex_.lock(); }
  ~ScopedLock() {
    try {
      mutex_.unlock();
    } catch (...) {
    }
  }

private:
  M &mutex_;
};
// A guard whose destructor releases through its own unlock().
template <class M> class ScopedLockWithUnlock {
public:
  explicit ScopedLockWithUnlock(M &mutex) : mutex_(&mutex) { mutex_->lock(); }
  ~ScopedLockWithUnlock() { unlock(); }
  void unlock() {
    if (mutex_) {
      mutex_->unlock();
      mutex_ = nullptr;
    }
  }

private:
  M *mutex_;
};
} // namespace pocolike

// Clang's thread-safety attributes, with no bodies in sight.
namespace annotated {
class __attribute__((capability("mutex"))) Lock {
public:
  void Acquire() __attribute__((acquire_capability()));
  void Release() __attribute__((release_capability()));
};
class __attribute__((scoped_lockable)) Hold {
public:
  explicit Hold(Lock *l) __attribute__((acquire_capability(l)));
  ~Hold() __attribute__((release_capability()));
};
} // namespace annotated

// A wrapper whose bodies live in another file and that has no attributes:
// concur cannot know it is a lock without a rule.
namespace ext {
class Lock {
public:
  void lock();
  void unlock();
};
} // namespace ext
