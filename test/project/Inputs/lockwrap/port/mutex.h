// A mutex wrapper whose bodies live in port/mutex.cc: the other files see
// its declarations only.
#pragma once
#include <pthread.h>

namespace port {
class Mutex {
public:
  Mutex();
  ~Mutex();
  void Lock();
  void Unlock();
  void AssertHeld();

private:
  pthread_mutex_t mu_;
};
} // namespace port
