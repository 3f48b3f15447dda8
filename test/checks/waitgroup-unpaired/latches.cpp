// RUN: not %concur --quiet --checks=-*,concur-waitgroup-unpaired %s -- %std -isystem %S/../../Inputs/mock | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-waitgroup-unpaired %s -- %std -isystem %S/../../Inputs/mock
//
// Latches and counters that get their count at construction: std::latch,
// absl::BlockingCounter, boost::latch. Same rules: each task counts down
// once on every path, and constant counts must match the tasks spawned.
#include <absl/synchronization/blocking_counter.h>
#include <boost/thread/latch.hpp>
#include <future>
#include <latch>
#include <thread>
#include <vector>

bool ok(int i);
void work(int i);

void stdLatchLoopSpawnsTooFew() {
  // CHECK: latches.cpp:[[@LINE+1]]:14: warning: 'done' is counted up to 3 but only 2 count-downs can follow; the wait on it never returns [concur-waitgroup-unpaired]
  std::latch done(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&done, i] {
      work(i);
      done.count_down();
    });
  // CHECK: latches.cpp:[[@LINE-4]]:13: note: 2 tasks spawned here each count 'done' down once
  done.wait();
  // CHECK: latches.cpp:[[@LINE-1]]:8: note: the wait on 'done'
  for (auto &t : threads)
    t.join();
}

void stdLatchTooMany() {
  // CHECK: latches.cpp:[[@LINE+1]]:14: warning: 'done' is counted up to 1 but 2 count-downs follow; its count goes below zero
  std::latch done(1);
  std::thread a([&] { done.count_down(); });
  std::thread b([&] { done.count_down(); });
  done.wait();
  a.join();
  b.join();
}

void stdLatchEarlyReturn() {
  std::latch done(2);
  auto task = [&done](int i) {
    if (!ok(i))
      // CHECK: latches.cpp:[[@LINE+1]]:7: warning: the spawned task returns here without counting down 'done'
      return;
    work(i);
    done.count_down();
  };
  std::thread a(task, 1);
  // CHECK: latches.cpp:[[@LINE-1]]:15: note: the task is spawned here
  // CHECK: latches.cpp:[[@LINE-10]]:14: note: 'done' gets its count here
  std::thread b(task, 2);
  done.wait();
  a.join();
  b.join();
}

void stdLatchArriveTwice() {
  std::latch sync(1);
  std::thread t([&] {
    sync.count_down();
    // CHECK: latches.cpp:[[@LINE+1]]:10: warning: 'sync' can be counted down a second time by the same spawned task
    sync.arrive_and_wait();
  });
  t.join();
}

void abseilCounterBranch() {
  absl::BlockingCounter pending(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&pending, i] {
      if (ok(i))
        pending.DecrementCount();
      // CHECK: latches.cpp:[[@LINE+1]]:5: warning: the spawned task can reach its end without counting down 'pending'
    });
  pending.Wait();
  for (auto &t : threads)
    t.join();
}

void abseilCounterTooFew() {
  // CHECK: latches.cpp:[[@LINE+1]]:25: warning: 'pending' is counted up to 4 but only 3 count-downs can follow
  absl::BlockingCounter pending(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&pending, i] {
      work(i);
      pending.DecrementCount();
    });
  pending.Wait();
  for (auto &t : threads)
    t.join();
}

void boostLatchTwice() {
  boost::latch gate(1);
  std::thread t([&] {
    gate.count_down();
    work(0);
    // CHECK: latches.cpp:[[@LINE+1]]:10: warning: 'gate' can be counted down a second time by the same spawned task
    gate.count_down();
  });
  gate.wait();
  t.join();
}

void boostLatchTooMany() {
  // CHECK: latches.cpp:[[@LINE+1]]:16: warning: 'gate' is counted up to 1 but 3 count-downs follow; its count goes below zero
  boost::latch gate(1);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&gate] { gate.count_down(); });
  gate.wait();
  for (auto &t : threads)
    t.join();
}

// Near misses.

void stdLatchMatches() {
  std::latch done(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&done, i] {
      work(i);
      done.count_down();
    });
  done.wait();
  for (auto &t : threads)
    t.join();
}

void stdLatchMainArrives() {
  // Three workers and the spawning thread itself: four arrivals.
  std::latch start(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&start, i] {
      start.arrive_and_wait();
      work(i);
    });
  start.arrive_and_wait();
  for (auto &t : threads)
    t.join();
}

void stdLatchRuntimeCount(int n) {
  std::latch done(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&done, i] {
      work(i);
      done.count_down();
    });
  done.wait();
  for (auto &t : threads)
    t.join();
}

void asyncTasks() {
  std::latch done(2);
  auto a = std::async(std::launch::async, [&] { work(1); done.count_down(); });
  auto b = std::async(std::launch::async, [&] { work(2); done.count_down(); });
  done.wait();
}

void conditionalSpawn(bool both) {
  absl::BlockingCounter pending(2);
  std::thread a([&] { pending.DecrementCount(); });
  if (both) {
    std::thread b([&] { pending.DecrementCount(); });
    b.join();
  }
  pending.Wait();
  a.join();
}

void boostLatchReset() {
  // reset() changes the count: concur does not compare totals.
  boost::latch gate(1);
  gate.reset(2);
  std::thread a([&] { gate.count_down(); });
  std::thread b([&] { gate.count_down(); });
  gate.wait();
  a.join();
  b.join();
}
