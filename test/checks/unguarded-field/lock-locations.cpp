// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// The lock that guards a variable can live in a base class, in a derived
// class, in a static member or a global, and can be a C lock or a
// subclass of a modelled mutex.
#include <mutex>
#include <pthread.h>
#include <string>
#include <vector>

// The base class's mutex guards the derived class's fields.
class Node {
protected:
  std::mutex mu_;
};
class Leaf : public Node {
  std::string name_;

public:
  void rename(const std::string &n) {
    std::lock_guard<std::mutex> g(mu_);
    name_ = n;
  }
  // CHECK: lock-locations.cpp:[[@LINE+1]]:37: warning: field 'name_' is read without holding 'mu_'; 'mu_' is held at 1 of its 2 accesses (1 write)
  std::string name() const { return name_; }
  // CHECK: lock-locations.cpp:[[@LINE-12]]:14: note: 'mu_' declared here (member of base class 'Node')
};

// A base class's field guarded by the derived class's mutex.
class Base {
protected:
  int level_ = 0;
};
class Guarded : public Base {
  std::mutex mu_;

public:
  void raise() {
    std::lock_guard<std::mutex> g(mu_);
    ++level_;
  }
  // CHECK: lock-locations.cpp:[[@LINE+1]]:24: note: field 'level_' is read without holding 'mu_'
  int level() { return level_; }
};

// A static mutex member guarding instance fields.
class Registry {
  static std::mutex mu_;
  int size_ = 0;

public:
  void add() {
    std::lock_guard<std::mutex> g(mu_);
    ++size_;
  }
  // CHECK: lock-locations.cpp:[[@LINE+1]]:23: note: field 'size_' is read without holding 'mu_'
  int size() { return size_; }
};
// CHECK: lock-locations.cpp:[[@LINE-11]]:21: note: 'mu_' declared here (static member of 'Registry')

// A global mutex guarding a global and a static field.
std::mutex g_mu;
long g_total = 0;
struct Totals {
  static long count;
};
long Totals::count = 0;
void record(long v) {
  std::lock_guard<std::mutex> g(g_mu);
  g_total += v;
  ++Totals::count;
}
// CHECK: lock-locations.cpp:[[@LINE+1]]:23: note: variable 'g_total' is read without holding 'g_mu'
long total() { return g_total; }
// CHECK: lock-locations.cpp:[[@LINE+1]]:21: warning: static field 'count' is written without holding 'g_mu'
void resetCount() { Totals::count = 0; }
// Near miss: a global constant.
const int kLimit = 10;
int limit() { std::lock_guard<std::mutex> g(g_mu); return kLimit; }
int limit2() { return kLimit; }

// C-style code: a global pthread mutex and a pthread mutex member.
static pthread_mutex_t c_lock = PTHREAD_MUTEX_INITIALIZER;
static int c_pending;
void c_push(void) {
  pthread_mutex_lock(&c_lock);
  c_pending++;
  pthread_mutex_unlock(&c_lock);
}
int c_peek(void) {
  // CHECK: lock-locations.cpp:[[@LINE+1]]:10: note: variable 'c_pending' is read without holding 'c_lock'
  return c_pending;
}
class CQueue {
  pthread_mutex_t lock_;
  int depth_ = 0;

public:
  CQueue() { pthread_mutex_init(&lock_, nullptr); }
  void push() {
    pthread_mutex_lock(&lock_);
    ++depth_;
    pthread_mutex_unlock(&lock_);
  }
  // CHECK: lock-locations.cpp:[[@LINE+1]]:24: note: field 'depth_' is read without holding 'lock_'
  int depth() { return depth_; }
};

// A subclass of a modelled mutex is that mutex.
class AlignedMutex : public std::mutex {};
class Db {
  AlignedMutex mutex_;
  int version_ = 0;

public:
  void bump() {
    std::lock_guard<std::mutex> g(mutex_);
    ++version_;
  }
  void bumpManually() {
    mutex_.lock();
    ++version_;
    mutex_.unlock();
  }
  // CHECK: lock-locations.cpp:[[@LINE+1]]:26: note: field 'version_' is read without holding 'mutex_'
  int version() { return version_; }
};

// A begin/end protocol is not a lock type: BeginUpdate() locks the member
// mutex, EndUpdate() unlocks it, and the class's own fields stay checked.
class Batch {
  std::mutex mu_;
  std::string pending_;

public:
  void BeginUpdate() { mu_.lock(); }
  void EndUpdate() { mu_.unlock(); }
  void put(const std::string &s) {
    std::lock_guard<std::mutex> g(mu_);
    pending_ += s;
  }
  // CHECK: lock-locations.cpp:[[@LINE+1]]:34: warning: field 'pending_' is read without holding 'mu_'
  std::string pending() { return pending_; }
};

// A capability derived from std::mutex keeps its inherited lock() and
// unlock(); the attributes add AssertHeld().
#define CAPABILITY(x) __attribute__((capability(x)))
#define ASSERT_CAPABILITY(x) __attribute__((assert_capability(x)))
class CAPABILITY("mutex") CheckedMutex : public std::mutex {
public:
  void AssertHeld() ASSERT_CAPABILITY(this) {}
};
class Ledger {
  CheckedMutex mu_;
  std::vector<int> entries_;

public:
  void add(int e) {
    mu_.lock();
    entries_.push_back(e);
    mu_.unlock();
  }
  void addChecked(int e) {
    mu_.AssertHeld();
    entries_.push_back(e);
  }
  // CHECK: lock-locations.cpp:[[@LINE+1]]:26: warning: field 'entries_' is read without holding 'mu_'
  size_t size() { return entries_.size(); }
};

// A class with lock-named methods around its member mutex and an interface
// of its own (RocksDB's DBImpl::LockWAL/UnlockWAL) is not a lock type.
class Engine {
  std::mutex wal_mu_;
  std::vector<int> wal_;

public:
  void LockWAL() { wal_mu_.lock(); }
  void UnlockWAL() { wal_mu_.unlock(); }
  void Put(int v) {
    std::lock_guard<std::mutex> g(wal_mu_);
    wal_.push_back(v);
  }
  // CHECK: lock-locations.cpp:[[@LINE+1]]:26: warning: field 'wal_' is read without holding 'wal_mu_'
  size_t Size() { return wal_.size(); }
  void Get() {}
  void Delete() {}
  void Flush() {}
  void Compact() {}
  void Open() {}
  void Close() {}
};

// A lock reached through an accessor is the member it returns: RocksDB's
// TEST_GetCurrentLogNumber() locks `mutex()`, which returns `&mutex_`.
class Journal {
  mutable std::mutex mutex_;
  std::vector<int> logs_;
  std::mutex *mutex() const { return &mutex_; }
  std::mutex &lockRef() { return mutex_; }

public:
  void add(int v) {
    std::lock_guard<std::mutex> g(mutex_);
    logs_.push_back(v);
  }
  int last() const {
    std::lock_guard<std::mutex> g(*mutex()); // near miss: it is mutex_
    return logs_.back();
  }
  int first() {
    std::lock_guard<std::mutex> g(lockRef()); // near miss: it is mutex_
    return logs_.front();
  }
  // CHECK: lock-locations.cpp:[[@LINE+1]]:32: warning: field 'logs_' is read without holding 'mutex_'
  size_t size() const { return logs_.size(); }
};

// Another object's accessor names that object's lock, which is compared
// only when named directly: a per-operation visitor that takes its
// database's mutex through `db_->mutex()` around one write (RocksDB's
// MemTableInserter asserts db_->mutex() while it rebuilds a transaction)
// does not make that lock the guard of its other accesses.
class Database2 {
  mutable std::mutex mu_;

public:
  std::mutex *mutex() const { return &mu_; }
};
class Inserter {
  Database2 *db_;
  std::vector<int> *rebuilding_ = nullptr;

public:
  explicit Inserter(Database2 *db) : db_(db) {}
  void beginPrepare() {
    db_->mutex()->lock();
    rebuilding_ = new std::vector<int>();
    db_->mutex()->unlock();
  }
  void put(int v) {
    if (rebuilding_ != nullptr) // near miss
      rebuilding_->push_back(v);
  }
};
