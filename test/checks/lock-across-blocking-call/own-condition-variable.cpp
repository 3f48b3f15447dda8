// RUN: not %concur --quiet --checks='concur-*,-concur-cv-wait-without-predicate' %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks='concur-*,-concur-cv-wait-without-predicate' %s -- %std
//
// A callee that waits on its own condition variable with its own lock (an
// event, a blocking queue, a notification) blocks its caller: the wait
// gives back only the lock the callee took itself, so every lock of the
// caller stays held. The caution about a wait that may release the
// caller's lock stays for the helpers that really can: a wait on a lock the
// caller passes in, on a member lock the caller holds, or on a lock bound
// at construction.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <pthread.h>

class Event {
public:
  void set() {
    std::lock_guard<std::mutex> g(mu_);
    set_ = true;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return set_; });
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool set_ = false;
};

template <typename T> class BlockingQueue {
public:
  void push(T v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v);
    cv_.notify_one();
  }
  T pop() {
    std::unique_lock<std::mutex> lk(mu_);
    while (items_.empty())
      cv_.wait(lk);
    T v = items_.front();
    items_.pop_front();
    return v;
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> items_;
};

// A notification written with pthreads: it locks its own member mutex by
// hand, waits on it and unlocks it.
class Notification {
public:
  void Notify() {
    pthread_mutex_lock(&mu_);
    notified_ = true;
    pthread_cond_broadcast(&cv_);
    pthread_mutex_unlock(&mu_);
  }
  void WaitForNotification() {
    pthread_mutex_lock(&mu_);
    while (!notified_)
      pthread_cond_wait(&cv_, &mu_);
    pthread_mutex_unlock(&mu_);
  }

private:
  pthread_mutex_t mu_ = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t cv_ = PTHREAD_COND_INITIALIZER;
  bool notified_ = false;
};

// A lock and a condition variable wrapper bound to a member lock of the
// same class, as leveldb and RocksDB write them.
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
class MutexLock {
public:
  explicit MutexLock(Mutex *mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() { mu_->Unlock(); }

private:
  Mutex *const mu_;
};
class Latch {
public:
  void Wait() {
    MutexLock l(&mu_);
    while (!done_)
      cv_.Wait();
  }
  // Near miss (for its callers): waits with the member lock its caller
  // must hold, as a *Locked() method does.
  void WaitLocked() {
    while (!done_)
      cv_.Wait();
  }
  Mutex mu_;

private:
  CondVar cv_{&mu_};
  bool done_ = false;
};

class Server {
  std::mutex mu_;
  Event ready_;
  BlockingQueue<int> queue_;
  Notification stopped_;
  Latch latch_;

public:
  void start() {
    std::lock_guard<std::mutex> g(mu_);
    // CHECK: own-condition-variable.cpp:[[@LINE+1]]:12: warning: call to 'Event::wait' blocks while holding lock 'mu_' (it calls 'std::condition_variable::wait')
    ready_.wait();
    // CHECK: own-condition-variable.cpp:[[@LINE-3]]:33: note: lock 'mu_' acquired here
    // CHECK: own-condition-variable.cpp:26:9: note: 'Event::wait' calls 'std::condition_variable::wait', which blocks
  }
  int take() {
    std::lock_guard<std::mutex> g(mu_);
    // CHECK: own-condition-variable.cpp:[[@LINE+1]]:19: warning: call to 'BlockingQueue::pop' blocks while holding lock 'mu_' (it calls 'std::condition_variable::wait')
    return queue_.pop();
  }
  void stop() {
    mu_.lock();
    // CHECK: own-condition-variable.cpp:[[@LINE+1]]:14: warning: call to 'Notification::WaitForNotification' blocks while holding lock 'mu_' (it calls 'pthread_cond_wait')
    stopped_.WaitForNotification();
    mu_.unlock();
  }
  void drain() {
    std::lock_guard<std::mutex> g(mu_);
    // CHECK: own-condition-variable.cpp:[[@LINE+1]]:12: warning: call to 'Latch::Wait' blocks while holding lock 'mu_' (it calls 'CondVar::Wait')
    latch_.Wait();
  }
  // Near miss: the helper's wait releases the latch's lock, the only one
  // held.
  void drainLocked() {
    latch_.mu_.Lock();
    latch_.WaitLocked();
    latch_.mu_.Unlock();
  }
  // The same helper with a second lock held.
  void drainLockedHoldingTwo() {
    std::lock_guard<std::mutex> g(mu_);
    latch_.mu_.Lock();
    // CHECK: own-condition-variable.cpp:[[@LINE+1]]:12: warning: call to 'Latch::WaitLocked' blocks while holding lock 'mu_' (it calls 'CondVar::Wait')
    latch_.WaitLocked();
    latch_.mu_.Unlock();
  }
  // Near miss: no lock held.
  void startUnlocked() {
    ready_.wait();
    stopped_.WaitForNotification();
  }
  // Near miss: the lock is released before the wait.
  void startAfterUnlock() {
    std::unique_lock<std::mutex> lk(mu_);
    lk.unlock();
    ready_.wait();
  }
};

// Near miss: a helper that waits with the caller's own guard releases it.
std::mutex shared_mu;
std::condition_variable shared_cv;
bool shared_ready;
void waitWith(std::unique_lock<std::mutex> &lk) {
  shared_cv.wait(lk, [] { return shared_ready; });
}
void callerPassesItsLock() {
  std::unique_lock<std::mutex> lk(shared_mu);
  waitWith(lk);
}

// Near miss: a helper that waits on a global lock its caller holds.
void waitOnGlobal() {
  std::unique_lock<std::mutex> lk(shared_mu, std::adopt_lock);
  shared_cv.wait(lk);
  lk.release();
}
void callerHoldsTheGlobal() {
  shared_mu.lock();
  waitOnGlobal();
  shared_mu.unlock();
}

// Near miss: a wrapper bound at construction to the caller's lock may
// release any one of the caller's locks: only a second lock counts.
struct Waiter {
  explicit Waiter(Mutex *mu) : cv_(mu) {}
  void await() { cv_.Wait(); }
  CondVar cv_;
};
void boundAtConstruction(Mutex &mu, Waiter &w) {
  mu.Lock();
  w.await();
  mu.Unlock();
}
