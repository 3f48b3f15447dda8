// RUN: not %concur --quiet --checks=-*,concur-waitgroup-unpaired %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-waitgroup-unpaired %s -- %std
//
// The other counters concur models, declared here as their libraries
// declare them: folly::Latch, marl::WaitGroup with marl::schedule and its
// defer(), seastar::gate, bthread::CountdownEvent, and a hand-written
// thread pool's submit().
#include <cstddef>
#include <utility>

namespace folly {
class Latch {
public:
  explicit Latch(std::ptrdiff_t expected);
  void count_down(std::ptrdiff_t n = 1) noexcept;
  void wait() noexcept;
  void arrive_and_wait(std::ptrdiff_t n = 1) noexcept;
};
} // namespace folly

namespace marl {
class WaitGroup {
public:
  explicit WaitGroup(unsigned int initialCount = 0);
  void add(unsigned int count = 1) const;
  bool done() const;
  void wait() const;
};
template <typename F> void schedule(F &&f) { (void)f; }
template <typename F> class Finally {
public:
  explicit Finally(F f) : f_(std::move(f)) {}
  ~Finally() { f_(); }

private:
  F f_;
};
template <typename F> Finally<F> make_finally(F &&f) { return Finally<F>(std::forward<F>(f)); }
} // namespace marl
#define MARL_CONCAT_(a, b) a##b
#define MARL_CONCAT(a, b) MARL_CONCAT_(a, b)
#define defer(x) auto MARL_CONCAT(defer_, __LINE__) = marl::make_finally([&] { x; })

namespace seastar {
class gate {
public:
  void enter();
  void leave() noexcept;
};
} // namespace seastar

namespace bthread {
class CountdownEvent {
public:
  explicit CountdownEvent(int initial_count = 1);
  void add_count(int v = 1);
  void signal(int sig = 1, bool flush = false);
  int wait();
};
} // namespace bthread

namespace app {
class ThreadPool {
public:
  template <typename F> void submit(F &&f) { (void)f; }
};
} // namespace app

bool ok(int i);
void work(int i);

void follyTooFew(app::ThreadPool &pool) {
  // CHECK: libraries.cpp:[[@LINE+1]]:16: warning: 'latch' is counted up to 3 but only 2 count-downs can follow; the wait on it never returns [concur-waitgroup-unpaired]
  folly::Latch latch(3);
  for (int i = 0; i < 2; ++i)
    pool.submit([&latch, i] {
      work(i);
      latch.count_down();
    });
  latch.wait();
}

void marlEarlyReturn() {
  marl::WaitGroup wg(1);
  marl::schedule([=] {
    if (!ok(1))
      // CHECK: libraries.cpp:[[@LINE+1]]:7: warning: the spawned task returns here without counting down 'wg'
      return;
    wg.done();
  });
  wg.wait();
}

void seastarLeaveTwice(app::ThreadPool &pool, seastar::gate &g) {
  g.enter();
  pool.submit([&g] {
    g.leave();
    work(2);
    // CHECK: libraries.cpp:[[@LINE+1]]:7: warning: 'g' can be counted down a second time by the same spawned task
    g.leave();
  });
}

void bthreadDefaultCountIsOne(app::ThreadPool &pool) {
  // CHECK: libraries.cpp:[[@LINE+1]]:27: warning: 'event' is counted up to 1 but 2 count-downs follow; its count goes below zero
  bthread::CountdownEvent event;
  pool.submit([&event] { event.signal(); });
  pool.submit([&event] { event.signal(); });
  event.wait();
}

// Near misses.

void marlDefer() {
  marl::WaitGroup wg(2);
  for (int i = 0; i < 2; ++i)
    marl::schedule([=] {
      defer(wg.done());
      if (!ok(i))
        return;
      work(i);
    });
  wg.wait();
}

void follyMatches(app::ThreadPool &pool) {
  folly::Latch latch(2);
  pool.submit([&latch] { latch.count_down(); });
  pool.submit([&latch] { latch.count_down(); });
  latch.wait();
}

void bthreadAddCount(app::ThreadPool &pool) {
  bthread::CountdownEvent event(0);
  event.add_count(2);
  pool.submit([&event] { event.signal(); });
  pool.submit([&event] { event.signal(); });
  event.wait();
}
