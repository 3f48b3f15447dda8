// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// A class derived from a standard mutex (or from a modelled wrapper) is a
// lock: its own methods that call the inherited lock() and unlock() are
// lock operations, and a cast to the base names the same lock. Thread-
// safety attributes on such a class add to what it inherits.
#include <mutex>
#include <unistd.h>

class Mutex : public std::mutex {
public:
  void Lock() { lock(); }
  void Unlock() { unlock(); }
  bool TryLock() { return try_lock(); }
};

// A wrapper of the wrapper.
class NamedMutex : public Mutex {
public:
  void Acquire() { Lock(); }
  void Release() { Unlock(); }
};

class __attribute__((capability("mutex"))) CheckedMutex : public std::mutex {
public:
  void AssertHeld() __attribute__((assert_capability(this))) {}
};

class RecursiveMutex : public std::recursive_mutex {
public:
  void Lock() { lock(); }
  void Unlock() { unlock(); }
};

Mutex mu;
NamedMutex named;
CheckedMutex checked;
RecursiveMutex rec;

void ownMethods() {
  mu.Lock();
  // CHECK: inherited-mutex.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(1);
  mu.Unlock();
  sleep(1); // near miss: unlocked
}

void inheritedMethods() {
  mu.lock();
  // CHECK: inherited-mutex.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(1);
  mu.Unlock();
  sleep(1); // near miss: the same lock, unlocked by the derived method
}

void castToBase() {
  static_cast<std::mutex &>(mu).lock();
  // CHECK: inherited-mutex.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(1);
  mu.Unlock();
  sleep(1); // near miss: the cast names the same lock
}

void guardOnDerived() {
  std::lock_guard<std::mutex> g(mu);
  // CHECK: inherited-mutex.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(1);
}

void tryLock() {
  if (!mu.TryLock()) {
    sleep(1); // near miss: not taken
    return;
  }
  // CHECK: inherited-mutex.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(1);
  mu.Unlock();
}

void wrapperOfWrapper() {
  named.Acquire();
  // CHECK: inherited-mutex.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'named'
  sleep(1);
  named.Release();
  sleep(1); // near miss
}

void attributesAddToTheBase() {
  checked.lock();
  // CHECK: inherited-mutex.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'checked'
  sleep(1);
  checked.unlock();
  sleep(1); // near miss
}

void assertedHeld() {
  checked.AssertHeld();
  // CHECK: inherited-mutex.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'checked'
  sleep(1);
  // CHECK: inherited-mutex.cpp:[[@LINE-3]]:11: note: lock 'checked' asserted held here
}

void recursiveByInheritance() {
  rec.Lock();
  rec.Lock();
  rec.Unlock();
  // CHECK: inherited-mutex.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'rec'
  sleep(1);
  rec.Unlock();
  sleep(1); // near miss
}
