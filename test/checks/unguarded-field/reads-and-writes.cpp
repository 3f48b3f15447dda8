// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// What reads and what writes: lookups on non-const containers and smart
// pointers read; inserting, erasing, clearing, resetting write. Passing a
// field by reference is an access where the callee touches it.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct Conn {
  void send(int);
};

class Directory {
  std::mutex mu_;
  std::map<std::string, int> ids_;
  std::shared_ptr<Conn> conn_;
  std::vector<int> log_;

public:
  void add(const std::string &k) {
    std::lock_guard<std::mutex> g(mu_);
    ids_[k] = 1;
    conn_.reset();
    log_.push_back(1);
  }
  void forget(const std::string &k) {
    std::lock_guard<std::mutex> g(mu_);
    ids_.erase(k);
    ids_.erase(k + "/");
  }
  // Reads, each reported as a read (they are races, but not writes).
  bool has(const std::string &k) {
    // CHECK: reads-and-writes.cpp:[[@LINE+1]]:12: warning: field 'ids_' is read without holding 'mu_'
    return ids_.find(k) != ids_.end();
    // CHECK: reads-and-writes.cpp:[[@LINE-1]]:28: warning: field 'ids_' is read without holding 'mu_'
  }
  size_t count() {
    // CHECK: reads-and-writes.cpp:[[@LINE+1]]:12: warning: field 'ids_' is read without holding 'mu_'
    return ids_.size() + ids_.count("x");
    // CHECK: reads-and-writes.cpp:[[@LINE-1]]:26: warning: field 'ids_' is read without holding 'mu_'
  }
  void ping() {
    // A null test only: a note (levels.cpp).
    // CHECK: reads-and-writes.cpp:[[@LINE+1]]:9: note: field 'conn_' is read without holding 'mu_'
    if (conn_)
      // CHECK: reads-and-writes.cpp:[[@LINE+1]]:7: warning: field 'conn_' is read without holding 'mu_'
      conn_.get()->send(1);
  }
  // Writes.
  void touch(const std::string &k) {
    // CHECK: reads-and-writes.cpp:[[@LINE+1]]:5: warning: field 'ids_' is written without holding 'mu_'
    ids_[k];
    // CHECK: reads-and-writes.cpp:[[@LINE+1]]:5: warning: field 'ids_' is written without holding 'mu_'
    ids_.erase(k);
    // CHECK: reads-and-writes.cpp:[[@LINE+1]]:5: warning: field 'conn_' is written without holding 'mu_'
    conn_.reset();
    // CHECK: reads-and-writes.cpp:[[@LINE+1]]:5: warning: field 'log_' is written without holding 'mu_'
    log_.at(0) = 2;
  }
};

// A view binds a reference to the container and locks before touching it:
// constructing the view is not an access.
class LockedView {
public:
  LockedView(std::mutex &m, std::vector<int> &v) : m_(m), v_(v) {}
  size_t size() {
    std::lock_guard<std::mutex> g(m_);
    return v_.size();
  }

private:
  std::mutex &m_;
  std::vector<int> &v_;
};
void fill(std::vector<int> &v) { v.push_back(1); }
void show(const std::vector<int> &v);
class Store {
  std::mutex mu_;
  std::vector<int> items_;

public:
  void put(int i) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(i);
  }
  size_t viewed() {
    LockedView v(mu_, items_); // near miss: bound, not touched
    return v.size();
  }
  void refill() {
    // CHECK: reads-and-writes.cpp:[[@LINE+1]]:10: warning: field 'items_' is written without holding 'mu_'
    fill(items_);
  }
  void print() {
    show(items_); // near miss: an unseen callee taking a const reference
  }
};

// An accessor returning a reference reads the field where it returns it,
// in its callers' contexts: with no caller in the file (Poco's
// FileChannel::path(), called from other files) it is an entry point; when
// every caller holds the lock, so does it. A constructor given the
// field's address binds it (near miss).
class Holder {
  std::mutex mu_;
  std::vector<int> data_;

public:
  void add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    data_.push_back(v);
  }
  // CHECK: reads-and-writes.cpp:[[@LINE+1]]:49: warning: field 'data_' is read without holding 'mu_'
  const std::vector<int> &data() const { return data_; }
  size_t size() {
    std::lock_guard<std::mutex> g(mu_);
    return locked().size();
  }
  const std::vector<int> &locked() const { return data_; } // near miss
  struct Ref {
    explicit Ref(std::vector<int> *p) : p_(p) {}
    std::vector<int> *p_;
  };
  Ref ref() { return Ref(&data_); }
  // Still a read: a copy is returned.
  // CHECK: reads-and-writes.cpp:[[@LINE+1]]:42: warning: field 'data_' is read without holding 'mu_'
  std::vector<int> copy() const { return data_; }
};

// A non-const method of the project whose body is seen reads the member it
// is called on unless it may modify it: it assigns a field, calls a
// modifying method of its own, returns a non-const reference, or hands
// `this` on. RocksDB's Directories::GetDbDir() only reads.
struct FSDir {
  void fsync();
};
class Dirs;
void enrolDirs(Dirs *);
class Dirs {
public:
  FSDir *db() { return db_.get(); }
  FSDir *wal() { return wal_ ? wal_.get() : db(); }
  void open() { db_.reset(new FSDir); }
  void reopen() { open(); }
  int &slot() { return slot_; }
  void enrol() { enrolDirs(this); }

private:
  std::unique_ptr<FSDir> db_, wal_;
  int slot_ = 0;
};
class Database {
  std::mutex mu_;
  Dirs dirs_;
  Dirs logs_;

public:
  void open() {
    std::lock_guard<std::mutex> g(mu_);
    dirs_.reopen();
    dirs_.slot() = 0;
    dirs_.enrol();
    logs_.db()->fsync();
  }
  void sync() {
    // CHECK: reads-and-writes.cpp:[[@LINE+1]]:5: warning: field 'dirs_' is read without holding 'mu_'
    dirs_.wal()->fsync();
    logs_.wal()->fsync(); // near miss: only read, so mu_ guards nothing
  }
  void reset() {
    // CHECK: reads-and-writes.cpp:[[@LINE+1]]:5: warning: field 'dirs_' is written without holding 'mu_'
    dirs_.open();
    // CHECK: reads-and-writes.cpp:[[@LINE+1]]:5: warning: field 'dirs_' is written without holding 'mu_'
    dirs_.slot() = 1;
    // CHECK: reads-and-writes.cpp:[[@LINE+1]]:5: warning: field 'dirs_' is written without holding 'mu_'
    dirs_.enrol();
  }
};

// An address handed to a function seen here is what that function does
// with it: an inline hook that only forwards it to a function in another
// file reads it (RocksDB's TEST_SYNC_POINT_CALLBACK); one that writes
// through it writes.
void hookElsewhere(const char *, void *);
template <unsigned long N> void hook(const char (&name)[N], void *arg) {
  hookElsewhere(name, arg);
}
inline void scribble(void *arg) { *static_cast<int *>(arg) = 0; }
struct Scheduler {
  void add(int);
};
class Runner {
  std::mutex mu_;
  Scheduler sched_;
  int count_ = 0;

public:
  void start() {
    {
      std::lock_guard<std::mutex> g(mu_);
      hook("start", &sched_);
    }
    sched_.add(1); // near miss: the hook only read sched_, no guard
  }
  void bump() {
    std::lock_guard<std::mutex> g(mu_);
    scribble(&count_);
  }
  // CHECK: reads-and-writes.cpp:[[@LINE+1]]:22: note: field 'count_' is read without holding 'mu_'
  int get() { return count_; }
};

// A hook for tests (RocksDB's TEST_ methods, ...ForTesting) is called by
// tests on their terms, mostly from one thread between operations: what it
// touches is neither reported nor evidence, and its calls give no context
// to their callees.
class Tracker {
  std::mutex mu_;
  std::vector<int> logs_;

public:
  void add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    logs_.push_back(v);
  }
  size_t TEST_LogsSize() const { return logs_.size(); } // near miss
  void ResetForTesting() { logs_.clear(); }              // near miss
  void TEST_Fill() { fill(); } // near miss: no caller's context
  void Refill() {
    std::lock_guard<std::mutex> g(mu_);
    fill();
  }
  // CHECK: reads-and-writes.cpp:[[@LINE+1]]:36: warning: field 'logs_' is read without holding 'mu_'
  size_t LogsSize() const { return logs_.size(); }

private:
  void fill() { logs_.push_back(0); } // guarded: Refill() holds mu_
};
