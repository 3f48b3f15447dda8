// RUN: not %concur --quiet --checks='concur-*,-concur-cv-wait-without-predicate' --rules=%S/Inputs/port-rules.json %s -- %std | FileCheck %s --implicit-check-not="warning:"
// RUN: not %concur --quiet --checks='concur-*,-concur-cv-wait-without-predicate' %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks='concur-*,-concur-cv-wait-without-predicate' --rules=%S/Inputs/port-rules.json %s -- %std
// RUN: %frontends_agree --checks='concur-*,-concur-cv-wait-without-predicate' %s -- %std
//
// A condition-variable wrapper shaped like leveldb's port::CondVar: its
// Wait() adopts the mutex it was constructed with in a local guard and
// waits, so it releases that mutex. concur infers this from the body (and
// port::Mutex from its body too, without the rules file).
#include <condition_variable>
#include <mutex>

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

class DB {
  std::mutex mutex_;
  std::mutex stats_mutex_;
  port::Mutex pmu_;
  port::CondVar cv_{&pmu_};
  bool done_ = false;

public:
  // Near miss: one lock held, and the wait releases one lock.
  void waitForBackgroundWork() {
    pmu_.Lock();
    while (!done_)
      cv_.Wait();
    pmu_.Unlock();
  }
  // Near miss: a helper that waits is not followed further either.
  void makeRoom() { cv_.Wait(); }
  void write() {
    pmu_.Lock();
    makeRoom();
    pmu_.Unlock();
  }

  void waitHoldingTwo() {
    std::lock_guard<std::mutex> stats(stats_mutex_);
    pmu_.Lock();
    // CHECK: condvar-wrapper.cpp:[[@LINE+2]]:9: warning: call to 'port::CondVar::Wait' blocks while holding lock 'stats_mutex_'; the wait releases only 'pmu_'
    // CHECK: condvar-wrapper.cpp:[[@LINE-3]]:33: note: lock 'stats_mutex_' acquired here
    cv_.Wait();
    pmu_.Unlock();
  }
};
