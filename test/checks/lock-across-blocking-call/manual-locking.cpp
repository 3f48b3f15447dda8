// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// lock()/unlock()/try_lock() by hand on std mutexes.
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <thread>

using namespace std::chrono_literals;

struct Server {
  std::mutex mu_;
  std::timed_mutex tmu_;
  std::recursive_mutex rmu_;
  std::shared_mutex rw_;
  int state_ = 0;

  void lockThenSleep() {
    mu_.lock();
    // CHECK: manual-locking.cpp:[[@LINE+1]]:5: warning: call to 'std::this_thread::sleep_for' blocks until its timeout while holding lock 'mu_'
    std::this_thread::sleep_for(1ms);
    mu_.unlock();
    std::this_thread::sleep_for(1ms); // near miss: after unlock()
  }

  void tryLockBranch() {
    if (mu_.try_lock()) {
      // CHECK: manual-locking.cpp:[[@LINE+1]]:7: warning: call to 'std::this_thread::sleep_for'
      std::this_thread::sleep_for(1ms);
      mu_.unlock();
    } else {
      std::this_thread::sleep_for(1ms); // near miss: try_lock failed
    }
  }

  void tryLockSpin() {
    while (!mu_.try_lock())
      std::this_thread::yield();
    // CHECK: manual-locking.cpp:[[@LINE+1]]:5: warning: call to 'std::this_thread::sleep_for'
    std::this_thread::sleep_for(1ms);
    mu_.unlock();
  }

  void timedAndRecursive() {
    if (tmu_.try_lock_for(5ms)) {
      // CHECK: manual-locking.cpp:[[@LINE+1]]:7: warning: call to 'std::this_thread::sleep_for' blocks until its timeout while holding lock 'tmu_'
      std::this_thread::sleep_for(1ms);
      tmu_.unlock();
    }
    rmu_.lock();
    // CHECK: manual-locking.cpp:[[@LINE+1]]:5: warning: call to 'std::this_thread::sleep_for' blocks until its timeout while holding lock 'rmu_'
    std::this_thread::sleep_for(1ms);
    rmu_.unlock();
  }

  void sharedByHand() {
    rw_.lock_shared();
    // CHECK: manual-locking.cpp:[[@LINE+1]]:5: warning: call to 'std::this_thread::sleep_for' blocks until its timeout while holding lock 'rw_'
    std::this_thread::sleep_for(1ms);
    rw_.unlock_shared();
  }
};

// Different objects' mutexes are different locks.
void twoObjects(Server &a, Server &b) {
  a.mu_.lock();
  b.mu_.unlock(); // not a's lock
  // CHECK: manual-locking.cpp:[[@LINE+1]]:3: warning: call to 'std::this_thread::sleep_for' blocks until its timeout while holding lock 'a.mu_'
  std::this_thread::sleep_for(1ms);
  a.mu_.unlock();
}

// A mutex reached through a pointer is the same lock as the object.
void throughPointer(std::mutex *pm) {
  pm->lock();
  // CHECK: manual-locking.cpp:[[@LINE+1]]:3: warning: call to 'std::this_thread::sleep_for' blocks until its timeout while holding lock 'pm'
  std::this_thread::sleep_for(1ms);
  (*pm).unlock();
  std::this_thread::sleep_for(1ms); // near miss: *pm is pm's pointee
}

std::mutex a, b;
void stdLockThenUnlockBoth() {
  std::lock(a, b);
  a.unlock();
  // CHECK: manual-locking.cpp:[[@LINE+1]]:3: warning: call to 'std::this_thread::sleep_for' blocks until its timeout while holding lock 'b'
  std::this_thread::sleep_for(1ms);
  b.unlock();
}
