// RUN: not %concur --quiet --checks='-*,concur-atomic-check-then-act' %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// A load of a std::atomic whose value computes or decides a later store to
// the same atomic: reported on the store. Near misses are silent.
#include <atomic>
#include <cassert>
#include <mutex>
#include <thread>
#include <vector>

void work();
int compute(int);

std::atomic<int> hits{0};
std::atomic<unsigned> bits{0};
std::atomic<bool> started{false};
std::atomic<int> state{0};

void countHit() {
  // CHECK: [[@LINE+2]]:8: warning: this store to 'hits' writes a value computed from an earlier load of 'hits'{{.*}} [concur-atomic-check-then-act]
  // CHECK: [[@LINE+1]]:19: note: 'hits' is loaded here
  hits.store(hits.load() + 1);
}

void setBit(unsigned b) {
  // CHECK: [[@LINE+1]]:8: warning: this store to 'bits' writes a value computed
  bits = bits | b; // through the operators
}

void throughLocal() {
  int v = hits.load();
  int w = compute(v) * 2;
  work();
  // CHECK: [[@LINE+1]]:8: warning: this store to 'hits' writes a value computed
  hits.store(w);
}

void startOnce() {
  // CHECK: [[@LINE+3]]:13: warning: this store to 'started' is decided by an earlier load of 'started'{{.*}} [concur-atomic-check-then-act]
  // CHECK: [[@LINE+1]]:8: note: 'started' is loaded here
  if (!started) {
    started = true;
    work();
  }
}

void transition() {
  // CHECK: [[@LINE+2]]:11: warning: this store to 'state' is decided by an earlier load of 'state'
  if (state.load() == 0)
    state.store(1);
}

void earlyReturn() {
  if (state.load() != 2)
    return;
  work();
  // CHECK: [[@LINE+1]]:9: warning: this store to 'state' is decided
  state.store(3);
}

void decidedThroughLocal() {
  int s = state.load();
  bool idle = s == 0;
  if (idle) {
    work();
    // CHECK: [[@LINE+1]]:11: warning: this store to 'state' is decided
    state.store(4);
  }
}

struct Counter {
  std::atomic<long> n{0};
  std::mutex m;
  // CHECK: [[@LINE+1]]:24: warning: this store to 'n' writes a value computed
  void add(long k) { n.store(n.load() + k); }
  // Under a lock, but another writer (add) does not hold it.
  void locked() {
    std::lock_guard<std::mutex> g(m);
    // CHECK: [[@LINE+1]]:7: warning: this store to 'n' writes a value computed
    n = n - 1;
  }
};

// ---- near misses ----

// Read-modify-write operations are single atomic steps.
void fetchOps() {
  hits.fetch_add(1);
  bits |= 4;
  ++hits;
  bool was = started.exchange(true);
  if (!was)
    work();
}

// A compare-exchange loop decides its own store.
void casLoop() {
  int v = hits.load();
  while (!hits.compare_exchange_weak(v, v + 1)) {
  }
  int s = state.load();
  if (s == 5 && state.compare_exchange_strong(s, 6))
    state.store(7);
}

// A store that does not depend on the load: a reset.
void reset() {
  int seen = hits.load();
  hits.store(0);
  work();
  (void)seen;
}

// Storing what the test found missing, and nothing else: the same outcome
// whichever thread wins.
void idempotent() {
  if (!started)
    started = true;
  if (state.load() != 9)
    state.store(9);
}

// A different atomic decides.
void otherAtomic() {
  if (started.load())
    hits.store(0);
}

// Every writer of 'guarded' holds the same lock as the load and the store.
struct Guarded {
  std::atomic<int> guarded{0};
  std::mutex m;
  void bump() {
    std::lock_guard<std::mutex> g(m);
    guarded.store(guarded.load() + 1);
  }
  void clear() {
    std::lock_guard<std::mutex> g(m);
    guarded.store(0);
  }
  int peek() const { return guarded.load(); }
};

// Double-checked: the store is decided again under the lock.
struct Lazy {
  std::atomic<bool> ready{false};
  std::mutex m;
  void init() {
    if (!ready.load()) {
      std::lock_guard<std::mutex> g(m);
      if (!ready.load()) {
        work();
        ready.store(true);
      }
    }
  }
};

// A local atomic no other thread can see.
int localOnly() {
  std::atomic<int> n{0};
  n.store(n.load() + 1);
  return n.load();
}

// Written only by one function, which one thread runs.
struct Ticker {
  std::atomic<long> ticks{0};
  std::thread t;
  void loop() {
    for (int i = 0; i < 10; ++i)
      ticks.store(ticks.load() + 1);
  }
  void start() { t = std::thread(&Ticker::loop, this); }
  long read() const { return ticks.load(); }
};

// A local atomic shared by reference with threads spawned in a loop.
void sharedLocal() {
  std::atomic<int> done{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&] {
      // CHECK: [[@LINE+1]]:12: warning: this store to 'done' writes a value computed
      done.store(done.load() + 1);
    });
  for (std::thread &t : ts)
    t.join();
}

// One thread writes, the spawner only reads: silent.
int oneWorker() {
  std::atomic<int> made{0};
  std::thread a([&] { made.store(made.load() + 1); });
  a.join();
  return made.load();
}

// The same worker spawned twice: two threads write.
struct Pool {
  std::atomic<int> jobs{0};
  void worker() {
    // CHECK: [[@LINE+1]]:10: warning: this store to 'jobs' writes a value computed
    jobs.store(jobs.load() + 1);
  }
  void start() {
    std::thread a(&Pool::worker, this), b(&Pool::worker, this);
    a.join();
    b.join();
  }
};

// Near miss: the single-writer idiom. Both the load and the store say
// memory_order_relaxed: the owner thread updates, others only read.
struct Histogram {
  std::atomic<unsigned long> num_{0};
  std::atomic<unsigned> flags_{0};
  void add() {
    num_.store(num_.load(std::memory_order_relaxed) + 1,
               std::memory_order_relaxed);
    if (!(flags_.load(std::memory_order_relaxed) & 1u))
      flags_.store(flags_.load(std::memory_order_relaxed) | 1u,
                   std::memory_order_relaxed);
  }
  void addReleased() {
    // The same with acquire/release: the orders are written out.
    unsigned long cur = num_.load(std::memory_order_acquire);
    num_.store(cur + 2, std::memory_order_release);
  }
  void addHalfRelaxed() {
    // Relaxed on one side only is no idiom.
    // CHECK: [[@LINE+1]]:10: warning: this store to 'num_' writes a value computed
    num_.store(num_.load(std::memory_order_relaxed) + 1);
  }
};

// Near miss: an assertion about the loaded value states an invariant; it
// does not decide whether the store runs.
struct Sequence {
  std::atomic<unsigned long> last_{0};
  void set(unsigned long s) {
    assert(s >= last_.load());
    last_.store(s);
  }
  void setIfNewer(unsigned long s) {
    // CHECK: [[@LINE+2]]:13: warning: this store to 'last_' is decided by an earlier load
    if (s > last_.load())
      last_.store(s);
  }
};

// Near miss: the same field of two objects is two atomics.
struct Stats {
  std::atomic<unsigned long> reads{0};
  Stats &operator=(const Stats &other) {
    reads = other.reads.load();
    return *this;
  }
  void mergeFrom(Stats &a, Stats &b) {
    a.reads.store(b.reads.load() + 1);
    // The same object through the same variable is still one atomic.
    // CHECK: [[@LINE+1]]:13: warning: this store to 'reads' writes a value computed
    a.reads.store(a.reads.load() + 1);
  }
};

// Near miss: a test's assertion macro about the loaded value, then a reset.
#define ASSERT_TRUE(c) \
  if (c)               \
    ;                  \
  else                 \
    return
void resetAfterCheck(std::atomic<bool> &called) {
  ASSERT_TRUE(called.load());
  called = false;
}

// Near miss: a reset at the top of a loop, and a test of the counter later
// in the body whose arms only assert (reduced from a RocksDB test's retry
// loop). The test decides the next reset only by letting the loop come
// round again.
#define ASSERT_FALSE(c) \
  if (!(c))             \
    ;                   \
  else                  \
    return
bool attempt();
void retries(std::atomic<int> &fails) {
  for (int i = 0; i < 300; i++) {
    fails = 0;
    bool ok = attempt();
    if (fails > 0) {
      ASSERT_FALSE(ok);
    } else {
      ASSERT_TRUE(ok);
    }
  }
}

// Still reported: the test before the store in the same loop body.
void claimEach(std::atomic<int> &slot) {
  for (int i = 0; i < 8; i++) {
    // CHECK: [[@LINE+2]]:12: warning: this store to 'slot' is decided by an earlier load of 'slot'
    if (slot == 0)
      slot = i;
  }
}
