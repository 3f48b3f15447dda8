// RUN: not %concur --quiet --checks=-*,concur-double-lock %s -- %std -I %S/../../Inputs/mock | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-double-lock %s -- %std -I %S/../../Inputs/mock
//
// Poco::Mutex is recursive (its constructor, in another file, asks
// pthreads for a recursive mutex) and Poco::FastMutex is not; the rules
// (rules/poco.json) say so, since no other file sees those bodies. Reduced
// from Poco's FIFOBuffer and AbstractConfiguration, whose locked methods
// call other locked methods on a Poco::Mutex.
#include <Poco/Mutex.h>

class Buffer {
  mutable Poco::Mutex _mutex;
  int _used = 0;

public:
  int used() const {
    Poco::Mutex::ScopedLock lock(_mutex);
    return _used;
  }
  // Near miss: taking a recursive mutex again is fine.
  bool isFull() const {
    Poco::Mutex::ScopedLock lock(_mutex);
    return used() == 64;
  }
};

class Fast {
  Poco::FastMutex _mutex;
  int _n = 0;

public:
  int size() {
    Poco::FastMutex::ScopedLock lock(_mutex);
    return _n;
  }
  bool empty() {
    Poco::FastMutex::ScopedLock lock(_mutex);
    // CHECK: [[@LINE+1]]:12: warning: call to 'Fast::size' acquires lock '_mutex', which this thread already holds
    return size() == 0;
  }
};
