// The shape of zeromq's src/mutex.hpp: a mutex wrapper, and the guard its
// socket API takes only when the socket is thread-safe.
#pragma once
#include <pthread.h>

namespace zmq {
class mutex_t {
public:
  mutex_t() { pthread_mutex_init(&_mutex, nullptr); }
  ~mutex_t() { pthread_mutex_destroy(&_mutex); }
  void lock() { pthread_mutex_lock(&_mutex); }
  void unlock() { pthread_mutex_unlock(&_mutex); }

private:
  pthread_mutex_t _mutex;
};

struct scoped_lock_t {
  explicit scoped_lock_t(mutex_t &mutex_) : _mutex(mutex_) { _mutex.lock(); }
  ~scoped_lock_t() { _mutex.unlock(); }

private:
  mutex_t &_mutex;
};

struct scoped_optional_lock_t {
  explicit scoped_optional_lock_t(mutex_t *mutex_) : _mutex(mutex_) {
    if (_mutex != NULL)
      _mutex->lock();
  }
  ~scoped_optional_lock_t() {
    if (_mutex != NULL)
      _mutex->unlock();
  }

private:
  mutex_t *_mutex;
};
} // namespace zmq
