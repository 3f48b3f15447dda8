// A stand-in for absl/synchronization/mutex.h with the same names, for
// tests (Abseil wraps everything in an inline namespace, as here).
#pragma once
namespace absl {
inline namespace lts_20220623 {
class Duration {};
class Condition {
public:
  template <typename T> Condition(bool (*fn)(T *), T *arg);
};
class Mutex {
public:
  void Lock();
  void Unlock();
  bool TryLock();
  void ReaderLock();
  void ReaderUnlock();
  void AssertHeld() const;
  void Await(const Condition &cond);
  bool AwaitWithTimeout(const Condition &cond, Duration timeout);
};
class MutexLock {
public:
  explicit MutexLock(Mutex *mu);
  ~MutexLock();
};
class ReaderMutexLock {
public:
  explicit ReaderMutexLock(Mutex *mu);
  ~ReaderMutexLock();
};
class CondVar {
public:
  void Wait(Mutex *mu);
  bool WaitWithTimeout(Mutex *mu, Duration timeout);
  void Signal();
};
class Notification {
public:
  void Notify();
  void WaitForNotification() const;
};
class BlockingCounter {
public:
  explicit BlockingCounter(int n);
  bool DecrementCount();
  void Wait();
};
void SleepFor(Duration d);
} // namespace lts_20220623
} // namespace absl
