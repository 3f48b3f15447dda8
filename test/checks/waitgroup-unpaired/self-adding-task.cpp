// RUN: not %concur --quiet --checks=-*,concur-waitgroup-unpaired %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-waitgroup-unpaired %s -- %std
//
// A task that calls Add on the WaitGroup it counts down: the Add races the
// wait and is reported, but the task's count-downs are judged against the
// spawner's count for it plus the task's own Adds, not against one.
#include <thread>

namespace gosync {
class WaitGroup {
public:
  void Add(int n = 1);
  void Done();
  void Wait();
};
} // namespace gosync

bool ok(int i);
void step(int i);

void addsTwoDonesThree() {
  gosync::WaitGroup wg;
  wg.Add(1);
  std::thread t([&wg] {
    // CHECK: self-adding-task.cpp:[[@LINE+1]]:8: warning: 'wg' is counted up inside the task it waits for; the wait can run before this and return early: count up before spawning the task [concur-waitgroup-unpaired]
    wg.Add(2);
    step(1);
    wg.Done();
    step(2);
    wg.Done();
    step(3);
    wg.Done();
  });
  // CHECK: self-adding-task.cpp:[[@LINE-10]]:15: note: the task is spawned here
  wg.Wait();
  t.join();
}

void addsTwoDonesFour() {
  gosync::WaitGroup wg;
  wg.Add(1);
  std::thread t([&wg] {
    // CHECK: self-adding-task.cpp:[[@LINE+1]]:8: warning: 'wg' is counted up inside the task it waits for
    wg.Add(2);
    wg.Done();
    wg.Done();
    wg.Done();
    // CHECK: self-adding-task.cpp:[[@LINE+1]]:8: warning: 'wg' is counted down 4 times by the spawned task but counted up 3 times for it (once by its spawner, 2 times by the task itself); its count goes below zero and a wait may return before the other tasks finish [concur-waitgroup-unpaired]
    wg.Done();
  });
  // CHECK: self-adding-task.cpp:[[@LINE-9]]:15: note: the task is spawned here
  // CHECK: self-adding-task.cpp:[[@LINE-11]]:6: note: 'wg' is counted up here for the task
  wg.Wait();
  t.join();
}

void addsTwoDonesTwo() {
  gosync::WaitGroup wg;
  wg.Add(1);
  std::thread t([&wg] {
    // CHECK: self-adding-task.cpp:[[@LINE+1]]:8: warning: 'wg' is counted up inside the task it waits for
    wg.Add(2);
    wg.Done();
    wg.Done();
    // CHECK: self-adding-task.cpp:[[@LINE+1]]:3: warning: the spawned task counts 'wg' down 2 times but counted up 3 times for it (once by its spawner, 2 times by the task itself); a wait on 'wg' then never returns [concur-waitgroup-unpaired]
  });
  // CHECK: self-adding-task.cpp:[[@LINE-7]]:15: note: the task is spawned here
  // CHECK: self-adding-task.cpp:[[@LINE-9]]:6: note: 'wg' is counted up here for the task
  wg.Wait();
  t.join();
}

void noAddInSpawnerOneMore(gosync::WaitGroup &wg) {
  // Go's mistake with nothing counted up by the spawner: the task owes one
  // count-down per own Add only.
  std::thread t([&wg] {
    // CHECK: self-adding-task.cpp:[[@LINE+1]]:8: warning: 'wg' is counted up inside the task it waits for
    wg.Add(1);
    wg.Done();
    // CHECK: self-adding-task.cpp:[[@LINE+1]]:8: warning: 'wg' is counted down 2 times by the spawned task but counted up once for it (once by the task itself); its count goes below zero
    wg.Done();
  });
  wg.Wait();
  t.join();
}

void ownAddPathWithoutDone() {
  gosync::WaitGroup wg;
  wg.Add(1);
  std::thread t([&wg] {
    // CHECK: self-adding-task.cpp:[[@LINE+1]]:8: warning: 'wg' is counted up inside the task it waits for
    wg.Add(1);
    if (!ok(0))
      // CHECK: self-adding-task.cpp:[[@LINE+1]]:7: warning: the spawned task returns here without counting down 'wg'; a wait on 'wg' then never returns
      return;
    wg.Done();
    wg.Done();
  });
  wg.Wait();
  t.join();
}

// Near misses: the Add is reported, the count-downs are not.

void addsOneDonesOnBothPaths() {
  gosync::WaitGroup wg;
  wg.Add(1);
  std::thread t([&wg] {
    // CHECK: self-adding-task.cpp:[[@LINE+1]]:8: warning: 'wg' is counted up inside the task it waits for
    wg.Add(1);
    if (ok(1)) {
      step(1);
      wg.Done();
    } else {
      wg.Done();
    }
    wg.Done();
  });
  wg.Wait();
  t.join();
}

void goStyleAddMovedIntoTask(gosync::WaitGroup &wg) {
  // Nothing counted up by the spawner, one Add and one Done in the task:
  // only the Add is wrong.
  std::thread t([&wg] {
    // CHECK: self-adding-task.cpp:[[@LINE+1]]:8: warning: 'wg' is counted up inside the task it waits for
    wg.Add(1);
    step(0);
    wg.Done();
  });
  wg.Wait();
  t.join();
}

void addsForTheTaskItSpawns() {
  // The Add is for the nested task, which counts it down: the outer task
  // owes one count-down, its spawner's.
  gosync::WaitGroup wg;
  wg.Add(1);
  std::thread outer([&wg] {
    wg.Add(1);
    std::thread inner([&wg] {
      step(1);
      wg.Done();
    });
    inner.detach();
    step(0);
    wg.Done();
  });
  wg.Wait();
  outer.join();
}
