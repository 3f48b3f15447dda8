// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// Callees are summarised bottom-up: a call that blocks two levels down is
// reported at the call made under the lock, with the chain as notes.
#include <condition_variable>
#include <mutex>
#include <unistd.h>

std::mutex mu;
std::condition_variable cv;
bool ready;

void flushToDisk(int fd) { fsync(fd); }
void writeRecord(int fd) { flushToDisk(fd); }

void appendUnderLock(int fd) {
  std::lock_guard<std::mutex> g(mu);
  // CHECK: summaries.cpp:[[@LINE+1]]:3: warning: call to 'writeRecord' may block while holding lock 'mu' (it calls 'fsync')
  writeRecord(fd);
  // CHECK-NEXT: {{^ +}}[[@LINE-1]] | writeRecord(fd);
  // CHECK: summaries.cpp:[[@LINE-4]]:31: note: lock 'mu' acquired here
  // CHECK: summaries.cpp:[[@LINE-8]]:28: note: 'writeRecord' calls 'flushToDisk'
  // CHECK: summaries.cpp:[[@LINE-10]]:28: note: 'flushToDisk' calls 'fsync', which may block
}

// Recursion terminates, and a recursive function that blocks is found.
int retry(int n) {
  if (n == 0) {
    sleep(1);
    return 0;
  }
  return retry(n - 1);
}
int pingPongA(int n);
int pingPongB(int n) { return n ? pingPongA(n - 1) : 0; }
int pingPongA(int n) { return n ? pingPongB(n - 1) : 0; }

void recursiveUnderLock() {
  std::lock_guard<std::mutex> g(mu);
  // CHECK: summaries.cpp:[[@LINE+1]]:3: warning: call to 'retry' blocks while holding lock 'mu' (it calls 'sleep')
  retry(3);
  pingPongA(4); // near miss: never blocks
}

// Near miss: a helper that waits on a condition variable with the lock the
// caller passes releases that lock while it waits.
void waitReady(std::unique_lock<std::mutex> &lk) {
  cv.wait(lk, [] { return ready; });
}
void consume() {
  std::unique_lock<std::mutex> lk(mu);
  waitReady(lk);
}

// Near miss: a function declared here and defined elsewhere is unknown.
void externalHelper();
void callsUnknown() {
  std::lock_guard<std::mutex> g(mu);
  externalHelper();
}

// Near miss: a helper that blocks only inside a lambda it hands off.
void spawnsBlockingWork();
void handsOff() {
  auto task = [] { sleep(1); };
  (void)task;
}
void callsHandsOff() {
  std::lock_guard<std::mutex> g(mu);
  handsOff();
}

struct Cache {
  std::mutex mu_;
  int fd_ = -1;
  void persist() { writeRecord(fd_); }
  void update() {
    std::lock_guard<std::mutex> g(mu_);
    // CHECK: summaries.cpp:[[@LINE+1]]:5: warning: call to 'Cache::persist' may block while holding lock 'mu_' (it calls 'fsync')
    persist();
  }
};

// Near miss: a helper that unlocks the caller's guard before it blocks.
void sleepUnlocked(std::unique_lock<std::mutex> &lk) {
  lk.unlock();
  sleep(1);
  lk.lock();
}
void callsSleepUnlocked() {
  std::unique_lock<std::mutex> lk(mu);
  sleepUnlocked(lk);
}

struct Worker {
  std::mutex mu_, other_;
  // Near miss: unlocks the member its caller locked, then blocks.
  void pauseUnlocked() {
    mu_.unlock();
    usleep(10);
    mu_.lock();
  }
  void run() {
    mu_.lock();
    pauseUnlocked();
    mu_.unlock();
  }
  // With a second lock held, one lock is certainly held across the sleep.
  void runHoldingTwo() {
    std::lock_guard<std::mutex> g(other_);
    mu_.lock();
    // CHECK: summaries.cpp:[[@LINE+1]]:5: warning: call to 'Worker::pauseUnlocked' blocks while holding locks 'other_' and 'mu_' (it calls 'usleep'); the callee may release one of them while it blocks
    pauseUnlocked();
    mu_.unlock();
  }
};
