// A wrapper of port::Mutex with its bodies in instrumented.cc, and its
// guard, inline.
#pragma once
#include "port/mutex.h"

class InstrumentedMutex {
public:
  void Lock();
  void Unlock();

private:
  void LockInternal();
  port::Mutex mutex_;
  long waits_ = 0;
};

class InstrumentedMutexLock {
public:
  explicit InstrumentedMutexLock(InstrumentedMutex *mu) : mu_(mu) { mu_->Lock(); }
  ~InstrumentedMutexLock() { mu_->Unlock(); }

private:
  InstrumentedMutex *mu_;
};
