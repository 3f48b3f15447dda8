// A minimal stand-in for Poco's mutexes: as in Poco, their bodies live in
// another file (Mutex.cpp, Mutex_POSIX.cpp), so only the rules know them.
#pragma once
namespace Poco {
template <class M> class ScopedLock {
public:
  explicit ScopedLock(M &mutex) : _mutex(mutex) { _mutex.lock(); }
  ~ScopedLock() { _mutex.unlock(); }

private:
  M &_mutex;
};

class Mutex {
public:
  using ScopedLock = Poco::ScopedLock<Mutex>;
  void lock();
  void lock(long milliseconds);
  bool tryLock();
  void unlock();
};

class FastMutex {
public:
  using ScopedLock = Poco::ScopedLock<FastMutex>;
  void lock();
  bool tryLock();
  void unlock();
};
} // namespace Poco
