// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note: field"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// A function that lets go of the lock it holds and takes it back keeps the
// role the lock gave it: leveldb's DBImpl::Write() releases mutex_ while the
// writer at the front of the queue appends to log_ ("&w is currently
// responsible for logging"), and MakeRoomForWrite() replaces log_ under
// mutex_ only ever from that same front writer. What the window touches is
// not reported, but it is no evidence of the lock either. An unlock with no
// lock after it, or a loop that holds the lock for a moment each round, is
// no such window.
#include <deque>
#include <mutex>
#include <string>

struct Log {
  void add(const std::string &) {}
};

// Near misses: log_ and mem_ are touched in Write()'s window.
class Journal {
public:
  void write(const std::string &rec) {
    std::unique_lock<std::mutex> l(mu_);
    writers_.push_back(&rec);
    makeRoom();
    mu_.unlock();
    log_->add(rec);
    mem_ += rec;
    mu_.lock();
    writers_.pop_front();
  }
  void makeRoom() {
    if (mem_.size() > 100) {
      log_ = new Log;
      mem_.clear();
    }
  }
  std::string snapshot() {
    std::lock_guard<std::mutex> g(mu_);
    return mem_;
  }

private:
  std::mutex mu_;
  std::deque<const std::string *> writers_;
  Log *log_ = nullptr;
  std::string mem_;
};

// Near miss: the same window through the guard's own unlock() and lock().
class GuardedJournal {
public:
  void write(const std::string &rec) {
    std::unique_lock<std::mutex> l(mu_);
    makeRoom();
    l.unlock();
    log_->add(rec);
    l.lock();
    ++written_;
  }
  void makeRoom() {
    if (written_ > 100) {
      log_ = new Log;
      written_ = 0;
    }
  }

private:
  std::mutex mu_;
  Log *log_ = nullptr;
  int written_ = 0;
};

// Near miss: a window opened for a callee that takes the lock itself
// (RocksDB's InitPersistStatsColumnFamily() around CreateColumnFamily())
// does not make its writes locked ones. Two of handle_'s three writes hold
// no lock, so no guard is inferred and handle() is not reported.
struct Handle {};
class Catalog {
public:
  void reopen() {
    std::lock_guard<std::mutex> g(mu_);
    mu_.unlock();
    handle_ = create();
    mu_.lock();
  }
  void rebuild() {
    std::lock_guard<std::mutex> g(mu_);
    ++generation_;
    mu_.unlock();
    handle_ = create();
    mu_.lock();
  }
  void drop() {
    std::lock_guard<std::mutex> g(mu_);
    handle_ = nullptr;
  }
  Handle *handle() const { return handle_; }

private:
  Handle *create() {
    std::lock_guard<std::mutex> g(mu_);
    ++generation_;
    return new Handle;
  }
  std::mutex mu_;
  Handle *handle_ = nullptr;
  int generation_ = 0;
};

// Reported: the guard lets go of the lock and does not take it back.
class Ledger {
public:
  void post(const std::string &e) {
    std::lock_guard<std::mutex> g(mu_);
    entries_ += e;
  }
  std::string tail() {
    std::unique_lock<std::mutex> l(mu_);
    l.unlock();
    return entries_;
    // CHECK: release-windows.cpp:[[@LINE-1]]:12: warning: field 'entries_' is read without holding 'mu_'
  }

private:
  std::mutex mu_;
  std::string entries_;
};

// Reported: the lock is let go of and not taken back before the read.
class Mailbox {
public:
  void put(int v) {
    std::lock_guard<std::mutex> g(mu_);
    last_ = v;
  }
  int take() {
    mu_.lock();
    int n = count_++;
    mu_.unlock();
    return n + last_;
    // CHECK: release-windows.cpp:[[@LINE-1]]:16: note: field 'last_' is read without holding 'mu_'
  }

private:
  std::mutex mu_;
  int last_ = 0;
  int count_ = 0;
};

// Reported: each round takes the lock for a moment; the rest of the round
// is the worker's own time, not a window.
class Drain {
public:
  void push(int v) {
    std::lock_guard<std::mutex> g(mu_);
    queue_.push_back(v);
    total_ += v;
  }
  void run() {
    for (;;) {
      mu_.lock();
      if (queue_.empty()) {
        mu_.unlock();
        return;
      }
      int v = queue_.front();
      queue_.pop_front();
      mu_.unlock();
      total_ -= v;
      // CHECK: release-windows.cpp:[[@LINE-1]]:7: warning: field 'total_' is written without holding 'mu_'
    }
  }

private:
  std::mutex mu_;
  std::deque<int> queue_;
  long total_ = 0;
};

int main() {}
