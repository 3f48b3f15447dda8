// RUN: not %concur --quiet --checks=-*,concur-waitgroup-unpaired %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-waitgroup-unpaired %s -- %std
//
// A hand-written Go-style WaitGroup: every path through a spawned task must
// call Done exactly once.
#include <thread>
#include <vector>

namespace gosync {
class WaitGroup {
public:
  void Add(int n = 1);
  void Done();
  void Wait();
};
} // namespace gosync

bool lookup(int key);
void process(int key);

void earlyReturn(int key) {
  gosync::WaitGroup wg;
  wg.Add(1);
  std::thread t([&] {
    if (!lookup(key))
      // CHECK: go-style.cpp:[[@LINE+1]]:7: warning: the spawned task returns here without counting down 'wg'; a wait on 'wg' then never returns [concur-waitgroup-unpaired]
      return;
    process(key);
    wg.Done();
    // CHECK: go-style.cpp:[[@LINE-1]]:8: note: 'wg' is counted down here on other paths
  });
  // CHECK: go-style.cpp:[[@LINE-8]]:15: note: the task is spawned here
  // CHECK: go-style.cpp:[[@LINE-10]]:6: note: 'wg' is counted up here for the task
  wg.Wait();
  t.join();
}

void branchSkipsDone(int key) {
  gosync::WaitGroup wg;
  wg.Add(1);
  std::thread t([&] {
    if (lookup(key)) {
      process(key);
      wg.Done();
    }
    // CHECK: go-style.cpp:[[@LINE+1]]:3: warning: the spawned task can reach its end without counting down 'wg'
  });
  wg.Wait();
  t.join();
}

void doneTwice(int key) {
  gosync::WaitGroup wg;
  wg.Add(1);
  std::thread t([&] {
    if (!lookup(key))
      wg.Done();
    process(key);
    // CHECK: go-style.cpp:[[@LINE+1]]:8: warning: 'wg' can be counted down a second time by the same spawned task; its count goes below zero and a wait may return before the other tasks finish
    wg.Done();
    // CHECK: go-style.cpp:[[@LINE-4]]:10: note: first count-down of 'wg'
  });
  wg.Wait();
  t.join();
}

void addInsideTask(std::vector<std::thread> &threads, gosync::WaitGroup &wg) {
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&wg, i] {
      // CHECK: go-style.cpp:[[@LINE+1]]:10: warning: 'wg' is counted up inside the task it waits for; the wait can run before this and return early: count up before spawning the task
      wg.Add(1);
      process(i);
      wg.Done();
    });
  wg.Wait();
}

void addTwoSpawnOne() {
  gosync::WaitGroup wg;
  // CHECK: go-style.cpp:[[@LINE+1]]:6: warning: 'wg' is counted up to 2 but only 1 count-down can follow; the wait on it never returns
  wg.Add(2);
  std::thread t([&] {
    process(1);
    wg.Done();
  });
  // CHECK: go-style.cpp:[[@LINE-4]]:15: note: 1 task spawned here counts 'wg' down once
  wg.Wait();
  // CHECK: go-style.cpp:[[@LINE-1]]:6: note: the wait on 'wg'
  t.join();
}

// Near misses: nothing to report.

void everyPathCountsDown(int key) {
  gosync::WaitGroup wg;
  wg.Add(1);
  std::thread t([&] {
    if (!lookup(key)) {
      wg.Done();
      return;
    }
    process(key);
    wg.Done();
  });
  wg.Wait();
  t.join();
}

void addNBeforeLoop(int n) {
  gosync::WaitGroup wg;
  wg.Add(n); // n tasks: not a constant, no evidence of a mismatch
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&wg, i] {
      process(i);
      wg.Done();
    });
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void constantLoopMatches() {
  gosync::WaitGroup wg;
  wg.Add(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&wg, i] {
      process(i);
      wg.Done();
    });
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void addPerIteration() {
  gosync::WaitGroup wg;
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    wg.Add(1);
    threads.emplace_back([&wg, i] {
      process(i);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void notSpawned(gosync::WaitGroup &wg, int key) {
  // A lambda called in place is not a task: it may count down on some
  // paths only, its caller balances the rest.
  auto step = [&] {
    if (lookup(key))
      wg.Done();
  };
  step();
}

void waitLoopInTask(gosync::WaitGroup &wg) {
  // The task's own WaitGroup, for the workers it spawns.
  std::thread t([] {
    gosync::WaitGroup inner;
    inner.Add(1);
    std::thread w([&] { inner.Done(); });
    inner.Wait();
    w.join();
  });
  t.join();
}

struct Job {
  int key;
};
bool nextJob(Job &j);

void workerCountsItems(int items) {
  // The WaitGroup counts work items; each worker counts down once per item
  // it takes, however many that is.
  gosync::WaitGroup wg;
  wg.Add(items);
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&wg] {
      Job j;
      while (nextJob(j)) {
        process(j.key);
        wg.Done();
      }
    });
  wg.Wait();
  for (auto &t : workers)
    t.join();
}

void producerAddsForConsumers(gosync::WaitGroup &wg) {
  // A producer thread that counts up work for other threads, joined before
  // the wait: not the Add-inside-the-task mistake.
  std::thread producer([&wg] {
    for (int i = 0; i < 8; ++i) {
      wg.Add(1);
      process(i);
    }
  });
  producer.join();
  wg.Wait();
}
