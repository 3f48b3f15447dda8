// RUN: not %concur --quiet --checks=-*,concur-double-lock %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-double-lock %s -- %std
//
// A project's own mutex wrappers, inferred from their bodies: a plain one
// deadlocks when taken twice; one whose constructor makes its pthread
// mutex recursive (as zeromq's mutex_t does) does not.
#include <pthread.h>

class PlainMutex {
  pthread_mutex_t m_;

public:
  PlainMutex() { pthread_mutex_init(&m_, nullptr); }
  void lock() { pthread_mutex_lock(&m_); }
  void unlock() { pthread_mutex_unlock(&m_); }
};

class RecursiveMutex {
  pthread_mutex_t m_;
  pthread_mutexattr_t attr_;

public:
  RecursiveMutex() {
    pthread_mutexattr_init(&attr_);
    pthread_mutexattr_settype(&attr_, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&m_, &attr_);
  }
  void lock() { pthread_mutex_lock(&m_); }
  void unlock() { pthread_mutex_unlock(&m_); }
};

template <typename M> class Locker {
  M &m_;

public:
  explicit Locker(M &m) : m_(m) { m_.lock(); }
  ~Locker() { m_.unlock(); }
};

class Context {
  PlainMutex plain_;
  RecursiveMutex slots_;
  int sockets_ = 0;

  int createSocket() {
    Locker<RecursiveMutex> l(slots_);
    return ++sockets_;
  }
  void count() {
    Locker<PlainMutex> l(plain_);
    sockets_++;
  }

public:
  void terminate() {
    slots_.lock();
    createSocket(); // near miss: the mutex is recursive
    slots_.unlock();
  }
  void report() {
    plain_.lock();
    // CHECK: wrappers.cpp:[[@LINE+1]]:5: warning: call to 'Context::count' acquires lock 'plain_', which this thread already holds
    count();
    plain_.unlock();
  }
};
