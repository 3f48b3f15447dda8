// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// A lambda runs where it runs: in place when called there, elsewhere when
// handed to a thread or stored.
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <unistd.h>
#include <vector>

std::mutex mu;
std::vector<std::function<void()>> tasks;

// Near miss: created under the lock, runs on another thread.
void spawnUnderLock() {
  std::lock_guard<std::mutex> g(mu);
  std::thread t([] { sleep(1); });
  t.detach();
  auto f = std::async(std::launch::async, [] { sleep(1); });
  (void)f;
}

// Near miss: stored for later, not called here.
void storeUnderLock() {
  std::lock_guard<std::mutex> g(mu);
  tasks.push_back([] { sleep(1); });
}

// Near miss: returned to the caller.
std::function<void()> makeTask() {
  std::lock_guard<std::mutex> g(mu);
  return [] { sleep(1); };
}

void immediatelyInvoked() {
  std::lock_guard<std::mutex> g(mu);
  // CHECK: lambdas.cpp:[[@LINE+1]]:8: warning: call to 'sleep' blocks while holding lock 'mu'
  [] { sleep(1); }();
}

void localLambdaCalledUnderLock() {
  auto work = [] {
    // CHECK: lambdas.cpp:[[@LINE+1]]:5: warning: call to 'usleep' blocks while holding lock 'mu'
    usleep(5);
  };
  work(); // near miss: this call holds nothing
  std::lock_guard<std::mutex> g(mu);
  work();
  // CHECK: lambdas.cpp:[[@LINE-1]]:3: note: the lambda runs here, with the caller's locks held
}

// A lambda that takes its own lock is analysed on its own.
void lambdaWithItsOwnLock() {
  std::thread t([] {
    std::lock_guard<std::mutex> g(mu);
    // CHECK: lambdas.cpp:[[@LINE+1]]:5: warning: call to 'sleep' blocks while holding lock 'mu'
    sleep(1);
  });
  t.join();
}
