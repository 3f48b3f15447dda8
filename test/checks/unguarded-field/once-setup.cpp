// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note: field"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// Set-up made lazily, once, under a lock: zeromq's ctx_t::create_socket()
// calls start() under _slot_sync while _starting is set, and start() clears
// it. What start() writes is set-up, published by that lock to what runs
// after it; the flag is read and cleared only under locks. The same shape
// with the flag read unlocked is double-checked locking, and is reported.
#include <mutex>
#include <vector>

struct Worker {
  int load() const { return 0; }
};

// Near misses: threads_ and reaper_ are written once, by start().
class Context {
public:
  Worker *create() {
    std::lock_guard<std::mutex> g(slots_mu_);
    if (__builtin_expect(starting_, 0)) {
      if (!start())
        return nullptr;
    }
    sockets_.push_back(new Worker);
    return sockets_.back();
  }
  void terminate() {
    std::lock_guard<std::mutex> g(slots_mu_);
    if (!starting_)
      sockets_.clear();
  }
  Worker *choose() {
    std::lock_guard<std::mutex> g(stats_mu_);
    ++chosen_;
    Worker *best = nullptr;
    for (Worker *w : threads_) // near miss: set up once
      if (!best || w->load() < best->load())
        best = w;
    return best;
  }
  Worker *reaper() {
    std::lock_guard<std::mutex> g(stats_mu_);
    return reaper_; // near miss: set up once
  }
  // CHECK: once-setup.cpp:[[@LINE+1]]:38: warning: field 'sockets_' is read without holding 'slots_mu_'
  std::size_t count() const { return sockets_.size(); }

private:
  bool start() {
    reaper_ = new Worker;
    for (int i = 0; i < 4; ++i)
      threads_.push_back(new Worker);
    starting_ = false;
    return true;
  }
  bool starting_ = true;
  Worker *reaper_ = nullptr;
  std::vector<Worker *> threads_;
  std::vector<Worker *> sockets_;
  std::mutex slots_mu_;
  std::mutex stats_mu_;
  int chosen_ = 0;
};

// Reported: the flag is tested without the lock first (double-checked
// locking), so a reader may run while load() fills the table.
class Lazy {
public:
  void ensure() {
    // CHECK: once-setup.cpp:[[@LINE+1]]:10: note: field 'ready_' is read without holding 'mu_'
    if (!ready_) {
      std::lock_guard<std::mutex> g(mu_);
      if (!ready_)
        load();
    }
  }
  int first() {
    std::lock_guard<std::mutex> g(stats_mu_);
    // CHECK: once-setup.cpp:[[@LINE+1]]:12: warning: field 'table_' is read without holding 'mu_'
    return table_.front();
  }

private:
  void load() {
    table_.push_back(1);
    ready_ = true;
  }
  bool ready_ = false;
  std::vector<int> table_;
  std::mutex mu_, stats_mu_;
};

// Reported: the flag is set again by rewind(), so prime() runs again while
// readers may run.
class Pool {
public:
  void take() {
    std::lock_guard<std::mutex> g(mu_);
    if (fresh_)
      prime();
  }
  void rewind() {
    std::lock_guard<std::mutex> g(mu_);
    fresh_ = true;
  }
  int first() {
    std::lock_guard<std::mutex> g(stats_mu_);
    // CHECK: once-setup.cpp:[[@LINE+1]]:12: warning: field 'slots_' is read without holding 'mu_'
    return slots_.front();
  }

private:
  void prime() {
    slots_.assign(4, 0);
    fresh_ = false;
  }
  bool fresh_ = true;
  std::vector<int> slots_;
  std::mutex mu_, stats_mu_;
};

// Reported: the flag is also tested under another lock alone.
class Dial {
public:
  void open() {
    std::lock_guard<std::mutex> g(mu_);
    if (closed_)
      connect();
  }
  bool closed() {
    std::lock_guard<std::mutex> g(stats_mu_);
    // CHECK: once-setup.cpp:[[@LINE+1]]:12: note: field 'closed_' is read without holding 'mu_'
    return closed_;
  }
  int line() {
    std::lock_guard<std::mutex> g(stats_mu_);
    // CHECK: once-setup.cpp:[[@LINE+1]]:12: warning: field 'lines_' is read without holding 'mu_'
    return lines_.back();
  }

private:
  void connect() {
    lines_.push_back(1);
    closed_ = false;
  }
  bool closed_ = true;
  std::vector<int> lines_;
  std::mutex mu_, stats_mu_;
};

// Reported: flush() does not clear the flag, so it runs each time.
class Journal {
public:
  void sync() {
    std::lock_guard<std::mutex> g(mu_);
    if (dirty_)
      flush();
  }
  void add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    dirty_ = true;
    entries_.push_back(v);
  }
  // CHECK: once-setup.cpp:[[@LINE+1]]:31: warning: field 'entries_' is read without holding 'mu_'
  std::size_t size() { return entries_.size(); }

private:
  void flush() { entries_.clear(); }
  bool dirty_ = false;
  std::vector<int> entries_;
  std::mutex mu_;
};
