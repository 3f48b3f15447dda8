// RUN: not %concur --quiet --checks=-*,concur-double-lock %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-double-lock %s -- %std
//
// A method that holds a lock calls a helper that takes the same lock, one
// or more calls down: the call is reported, with the chain as notes. The
// lock is matched as the callee names it: a member of the object it is
// called on, a global, or the parameter it is given.
#include <mutex>

std::mutex global_mu;

class Cache {
  std::mutex mu_;
  int size_ = 0;

  int sizeLocked() {
    std::lock_guard<std::mutex> g(mu_);
    return size_;
  }
  void logSize() { (void)sizeLocked(); }
  void onError() {
    std::lock_guard<std::mutex> g(mu_);
    size_ = 0;
  }

public:
  void insert(int v) {
    std::lock_guard<std::mutex> g(mu_);
    size_ += v;
    // CHECK: through-callees.cpp:[[@LINE+1]]:5: warning: call to 'Cache::logSize' acquires lock 'mu_' (through 'Cache::sizeLocked'), which this thread already holds; a non-recursive mutex locked twice by one thread deadlocks [concur-double-lock]
    logSize();
    // CHECK: through-callees.cpp:[[@LINE-4]]:33: note: lock 'mu_' first acquired here
    // CHECK: through-callees.cpp:[[@LINE-13]]:26: note: 'Cache::logSize' calls 'Cache::sizeLocked'
    // CHECK: through-callees.cpp:[[@LINE-17]]:33: note: 'Cache::sizeLocked' acquires 'mu_' here
  }
  // The helper locks only on an error path: still a deadlock when it runs.
  void erase(int v) {
    mu_.lock();
    if (v < 0)
      // CHECK: through-callees.cpp:[[@LINE+1]]:7: warning: call to 'Cache::onError' acquires lock 'mu_', which this thread already holds
      onError();
    mu_.unlock();
  }
  // Near miss: released before the helper takes it.
  void releasedFirst() {
    mu_.lock();
    size_++;
    mu_.unlock();
    logSize();
  }
  // Near miss: the helper takes another object's lock (two objects of one
  // class).
  void merge(Cache &other) {
    std::lock_guard<std::mutex> g(mu_);
    size_ += other.sizeLocked();
  }
  // ... but the same object through a pointer to itself is the same lock.
  void self(Cache *me) {
    std::lock_guard<std::mutex> g(mu_);
    // CHECK: through-callees.cpp:[[@LINE+1]]:17: warning: call to 'Cache::sizeLocked' acquires lock 'mu_', which this thread already holds
    (void)this->sizeLocked();
    (void)me->sizeLocked(); // near miss: another object, as far as concur knows
  }
};

// A global lock, through a free function.
void flushGlobal() { std::lock_guard<std::mutex> g(global_mu); }
void writeGlobal() {
  std::lock_guard<std::mutex> g(global_mu);
  // CHECK: through-callees.cpp:[[@LINE+1]]:3: warning: call to 'flushGlobal' acquires lock 'global_mu', which this thread already holds
  flushGlobal();
}

// The lock passed as an argument.
void lockIt(std::mutex &m) { m.lock(); }
void withParam(std::mutex *m) { std::lock_guard<std::mutex> g(*m); }
void passesItsLock() {
  std::lock_guard<std::mutex> g(global_mu);
  // CHECK: through-callees.cpp:[[@LINE+1]]:3: warning: call to 'withParam' acquires lock 'global_mu', which this thread already holds
  withParam(&global_mu);
  // CHECK: through-callees.cpp:[[@LINE-5]]:61: note: 'withParam' acquires 'm' here
  std::mutex other;
  withParam(&other); // near miss: another lock
}

// Near miss: a helper that gives the caller's lock back before taking it
// again (a wait written by hand).
void waitByHand(std::mutex &m) {
  m.unlock();
  m.lock();
}
void callsWaitByHand() {
  global_mu.lock();
  waitByHand(global_mu);
  global_mu.unlock();
}

// Near miss: a helper that only try-locks.
void tryHelper() {
  if (global_mu.try_lock())
    global_mu.unlock();
}
void callsTryHelper() {
  std::lock_guard<std::mutex> g(global_mu);
  tryHelper();
}

// Near miss: recursion terminates and takes nothing twice.
int countdown(int n) { return n ? countdown(n - 1) : 0; }
void callsRecursion() {
  std::lock_guard<std::mutex> g(global_mu);
  countdown(3);
}

// Near miss: a recursive mutex taken again by a helper.
std::recursive_mutex rmu;
void recursiveHelper() { std::lock_guard<std::recursive_mutex> g(rmu); }
void callsRecursiveHelper() {
  std::lock_guard<std::recursive_mutex> g(rmu);
  recursiveHelper();
}

// A callee that takes the lock only under a flag: reported at note level
// (the flag may be one the caller's state rules out).
struct Wal {
  std::mutex log_mu_;
  bool manual_flush_ = false;
  void write() {
    if (manual_flush_)
      log_mu_.lock();
    if (manual_flush_)
      log_mu_.unlock();
  }
  void writeGroup() {
    std::lock_guard<std::mutex> g(log_mu_);
    // CHECK: through-callees.cpp:[[@LINE+1]]:5: note: call to 'Wal::write' acquires lock 'log_mu_', which this thread already holds; a non-recursive mutex locked twice by one thread deadlocks (the callee takes it only on some of its paths) [concur-double-lock]
    write();
  }
};
