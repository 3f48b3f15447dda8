// RUN: not %concur --quiet --checks=-*,concur-waitgroup-unpaired %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-waitgroup-unpaired %s -- %std
//
// Done reached through callees: helpers, worker functions, RAII guards and
// scope guards, the C++ forms of Go's `defer wg.Done()`.
#include <functional>
#include <thread>
#include <utility>

namespace app {
class WaitGroup {
public:
  void add(int n = 1);
  void done();
  void wait();
};

// RAII: the destructor counts down.
class DoneGuard {
public:
  explicit DoneGuard(WaitGroup &wg) : wg_(wg) {}
  ~DoneGuard() { wg_.done(); }

private:
  WaitGroup &wg_;
};

// A generic scope guard holding a lambda, as gsl::finally or a
// project's ScopeExit.
template <typename F> class ScopeExit {
public:
  explicit ScopeExit(F f) : f_(std::move(f)) {}
  ~ScopeExit() {
    if (active_)
      f_();
  }
  void dismiss() { active_ = false; }

private:
  F f_;
  bool active_ = true;
};
template <typename F> ScopeExit<F> finally(F f) { return ScopeExit<F>(std::move(f)); }

// A scope guard over std::function: concur cannot see what it runs.
class Defer {
public:
  explicit Defer(std::function<void()> f) : f_(std::move(f)) {}
  ~Defer() { f_(); }

private:
  std::function<void()> f_;
};
} // namespace app

bool ready(int i);
void work(int i);

void finish(app::WaitGroup &wg) { wg.done(); }
void finishIfReady(app::WaitGroup *wg, int i) {
  if (ready(i))
    wg->done();
}

void worker(app::WaitGroup &wg, int i) {
  work(i);
  finish(wg);
}

void workerThatReturnsEarly(app::WaitGroup &wg, int i) {
  if (!ready(i))
    // CHECK: through-calls.cpp:[[@LINE+1]]:5: warning: the spawned task returns here without counting down 'wg'; a wait on 'wg' then never returns [concur-waitgroup-unpaired]
    return;
  work(i);
  wg.done();
}

void spawnWorkers() {
  app::WaitGroup wg;
  wg.add(2);
  std::thread a(worker, std::ref(wg), 1);
  std::thread b(workerThatReturnsEarly, std::ref(wg), 2);
  // CHECK: through-calls.cpp:[[@LINE-1]]:15: note: the task is spawned here
  // CHECK: through-calls.cpp:[[@LINE-4]]:6: note: 'wg' is counted up here for the task
  wg.wait();
  a.join();
  b.join();
}

void helperOnSomePaths(app::WaitGroup &wg) {
  wg.add(1);
  std::thread t([&] {
    work(0);
    finishIfReady(&wg, 0);
    // CHECK: through-calls.cpp:[[@LINE+1]]:3: warning: the spawned task can reach its end without counting down 'wg'
  });
  wg.wait();
  t.join();
}

void guardAndExplicitDone(app::WaitGroup &wg) {
  wg.add(1);
  std::thread t([&] {
    app::DoneGuard guard(wg);
    work(1);
    wg.done();
    // CHECK: through-calls.cpp:[[@LINE+5]]:3: warning: 'wg' can be counted down a second time by the same spawned task
    // CHECK: through-calls.cpp:[[@LINE-2]]:8: note: first count-down of 'wg'
    // CHECK: through-calls.cpp:[[@LINE-6]]:15: note: the task is spawned here
    // CHECK: through-calls.cpp:[[@LINE+2]]:3: note: the destructor of 'DoneGuard' counts 'wg' down
    // CHECK: through-calls.cpp:23:22: note: the count-down
  });
  wg.wait();
  t.join();
}

void scopeGuardAndHelper(app::WaitGroup &wg) {
  wg.add(1);
  std::thread t([&] {
    auto onExit = app::finally([&] { wg.done(); });
    work(2);
    finish(wg);
    // CHECK: through-calls.cpp:[[@LINE+5]]:3: warning: 'wg' can be counted down a second time by the same spawned task
    // CHECK: through-calls.cpp:[[@LINE-2]]:5: note: first count-down of 'wg'
    // CHECK: through-calls.cpp:[[@LINE-6]]:15: note: the task is spawned here
    // CHECK: through-calls.cpp:[[@LINE+2]]:3: note: the destructor of 'ScopeExit' counts 'wg' down
    // CHECK: through-calls.cpp:36:7: note: the lambda counts 'wg' down
  });
  // CHECK: through-calls.cpp:[[@LINE-9]]:41: note: the count-down
  wg.wait();
  t.join();
}

// Near misses: Done on every path, however it is reached.

void guardOnEveryPath(app::WaitGroup &wg) {
  wg.add(1);
  std::thread t([&] {
    app::DoneGuard guard(wg);
    if (!ready(3))
      return;
    work(3);
  });
  wg.wait();
  t.join();
}

void scopeGuardOnEveryPath(app::WaitGroup &wg) {
  wg.add(1);
  std::thread t([&] {
    auto onExit = app::finally([&] { wg.done(); });
    if (!ready(4))
      return;
    work(4);
  });
  wg.wait();
  t.join();
}

void helperOnEveryPath(app::WaitGroup &wg) {
  wg.add(2);
  std::thread a(worker, std::ref(wg), 5);
  std::thread b([&] {
    if (ready(6)) {
      finish(wg);
      return;
    }
    work(6);
    finish(wg);
  });
  wg.wait();
  a.join();
  b.join();
}

void opaqueScopeGuard(app::WaitGroup &wg) {
  wg.add(1);
  std::thread t([&] {
    app::Defer d([&] { wg.done(); }); // through std::function: not followed
    if (!ready(7))
      return;
    work(7);
  });
  wg.wait();
  t.join();
}

void plainCallIsNotATask(app::WaitGroup &wg) {
  workerThatReturnsEarly(wg, 8); // runs here: the caller balances it
}

struct Server {
  app::WaitGroup inflight_;
  void handle(int i);
  void serve(int i) {
    inflight_.add(1);
    std::thread([this, i] {
      app::DoneGuard g(inflight_);
      handle(i);
    }).detach();
  }
};
