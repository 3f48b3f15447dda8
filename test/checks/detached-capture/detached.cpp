// RUN: not %concur --quiet --checks=-*,concur-detached-capture %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-detached-capture %s -- %std
//
// A detached thread that captures a local or a parameter of its spawner by
// reference: once the spawner returns, the thread uses a dead stack frame.
#include <future>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

void consume(int);
void fill(std::vector<int> &);

void explicitCapture() {
  int total = 0;
  std::thread t([&total] { total += 1; });
  // CHECK: detached.cpp:[[@LINE-1]]:19: warning: the detached thread captures 'total' by reference, a local of 'explicitCapture' that can die while the task still runs: a use after its lifetime [concur-detached-capture]
  t.detach();
  // CHECK: detached.cpp:[[@LINE-1]]:5: note: the thread is detached here
}
// CHECK: detached.cpp:[[@LINE-1]]:1: note: 'total' dies here

void defaultCaptureOfParameter(int limit) {
  std::thread([&] { consume(limit); }).detach();
  // CHECK: detached.cpp:[[@LINE-1]]:29: warning: the detached thread captures 'limit' by reference, a parameter of 'defaultCaptureOfParameter' that can die while the task still runs
}

void refArgument() {
  std::vector<int> buffer;
  std::thread t(fill, std::ref(buffer));
  // CHECK: detached.cpp:[[@LINE-1]]:23: warning: the detached thread is given std::ref to 'buffer', a local of 'refArgument' that can die while the task still runs
  t.detach();
}

void innerScope(bool go) {
  if (go) {
    int n = 3;
    std::thread([&n] { consume(n); }).detach();
    // CHECK: detached.cpp:[[@LINE-1]]:19: warning: the detached thread captures 'n' by reference
  }
  // CHECK: detached.cpp:[[@LINE-1]]:3: note: 'n' dies here
}

// Near misses.

void byValue(int limit) {
  int total = 0;
  std::thread([total, limit] { consume(total + limit); }).detach();
}

void sharedOwnership() {
  auto state = std::make_shared<int>(0);
  std::thread([state] { consume(*state); }).detach();
  std::weak_ptr<int> weak = state;
  std::thread([weak] { if (auto s = weak.lock()) consume(*s); }).detach();
}

void joinedNotDetached() {
  int total = 0;
  std::thread t([&total] { total += 1; });
  t.join();
}

void waitedOnLatch() {
  int total = 0;
  std::latch done(1);
  std::thread([&] {
    total += 1;
    done.count_down();
  }).detach();
  done.wait();
  consume(total);
}

int counter;
void globalsAndStatics() {
  static int calls = 0;
  std::thread([&] { ++calls; ++counter; }).detach();
}

void asyncKeptAndWaited() {
  int total = 0;
  auto f = std::async(std::launch::async, [&] { total += 1; });
  f.get();
}

void referenceParameter(int &out) {
  // 'out' refers to the caller's object, whose lifetime concur cannot see.
  std::thread([&out] { out = 1; }).detach();
}
