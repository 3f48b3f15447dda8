// RUN: not %concur --fail-on=note --quiet --checks=-*,concur-unguarded-field --rules=%S/Inputs/pool-rules.json %s -- %std | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note: field"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field --rules=%S/Inputs/pool-rules.json %s -- %std
//
// Calls made after a function has joined the threads it started do not
// race with them, also when that function holds no lock itself (Poco's
// RWLockTest reads each runnable's ok() after joining its threads), and
// when the join is an executor's (Poco's ThreadPool::joinAll()).
#include <functional>
#include <mutex>
#include <thread>

class Probe {
  std::mutex mu_;
  bool ok_ = true;
  int rounds_ = 0;

public:
  void run() {
    std::lock_guard<std::mutex> g(mu_);
    ok_ = rounds_++ < 10;
  }
  bool ok() const { return ok_; } // near miss: called after the join only
  // CHECK: joins-elsewhere.cpp:[[@LINE+1]]:31: note: field 'rounds_' is read without holding 'mu_'
  int rounds() const { return rounds_; }
};

void testProbe() {
  Probe p;
  std::thread t([&p] { p.run(); });
  t.join();
  (void)p.ok();
}

void watchProbe() {
  Probe p;
  std::thread t([&p] { p.run(); });
  (void)p.rounds(); // the thread may still run
  t.join();
}

namespace demo {
class Pool {
public:
  void start(std::function<void()> f);
  void joinAll();
  bool waitFor(long ms);
};
} // namespace demo

class Tally {
  std::mutex mu_;
  long count_ = 0;
  long seen_ = 0;

public:
  void add() {
    std::lock_guard<std::mutex> g(mu_);
    ++count_;
    ++seen_;
  }
  long count() const { return count_; } // near miss: after joinAll()
  // CHECK: joins-elsewhere.cpp:[[@LINE+1]]:30: note: field 'seen_' is read without holding 'mu_'
  long seen() const { return seen_; }
};

void testTally(demo::Pool &pool) {
  Tally t;
  pool.start([&t] { t.add(); });
  pool.start([&t] { t.add(); });
  pool.joinAll();
  (void)t.count();
}

// A timed wait may return before the tasks end: no order.
void pollTally(demo::Pool &pool) {
  Tally t;
  pool.start([&t] { t.add(); });
  if (pool.waitFor(10))
    (void)t.seen();
  pool.joinAll();
}

// Between a join that ends every task started so far and the next start,
// nothing runs: Poco's ThreadPoolTest checks its count after joinAll() and
// resets it before it starts a task again.
class Rounds {
  std::mutex mu_;
  long hits_ = 0;
  long misses_ = 0;
  void hit() {
    std::lock_guard<std::mutex> g(mu_);
    ++hits_;
    ++misses_;
  }

public:
  long twice(demo::Pool &pool) {
    pool.start([this] { hit(); });
    pool.start([this] { hit(); });
    pool.joinAll();
    long seen = hits_; // near miss: both tasks have ended
    hits_ = 0;         // near miss
    pool.start([this] { hit(); });
    // CHECK: joins-elsewhere.cpp:[[@LINE+1]]:13: note: field 'misses_' is read without holding 'mu_'
    seen += misses_; // the third task may run
    pool.joinAll();
    return seen;
  }
};

// A thread's join ends that thread only.
class Pair {
  std::mutex mu_;
  int first_ = 0;
  int second_ = 0;
  void bump() {
    std::lock_guard<std::mutex> g(mu_);
    ++first_;
    ++second_;
  }

public:
  int run() {
    std::thread a([this] { bump(); });
    a.join();
    int n = first_; // near miss: `a` has ended, nothing else was started
    std::thread b([this] { bump(); });
    std::thread c([this] { bump(); });
    b.join();
    // CHECK: joins-elsewhere.cpp:[[@LINE+1]]:10: note: field 'second_' is read without holding 'mu_'
    n += second_; // `c` may still run
    c.join();
    return n;
  }
};

// A function that joins threads it did not start orders nothing against
// the callers of the object's other methods (RocksDB's JoinThreads()).
class Workers {
  std::mutex mu_;
  bool exiting_ = false;

public:
  bool accepting() {
    std::lock_guard<std::mutex> g(mu_);
    return !exiting_;
  }
  void stop(std::thread &worker) {
    {
      std::lock_guard<std::mutex> g(mu_);
      exiting_ = true;
    }
    worker.join();
    // CHECK: joins-elsewhere.cpp:[[@LINE+1]]:5: warning: field 'exiting_' is written without holding 'mu_'
    exiting_ = false;
  }
};
