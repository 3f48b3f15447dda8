// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// Which member mutex guards which field is inferred from how the class uses
// them; the accesses that break the discipline are reported.
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

class Registry {
public:
  Registry() : count_(0) { items_.clear(); } // near miss: not shared yet
  ~Registry() { items_.clear(); }            // near miss: not shared any more

  void add(const std::string &k, int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_[k] = v;
    ++count_;
  }
  void remove(const std::string &k) {
    std::lock_guard<std::mutex> g(mu_);
    items_.erase(k);
    --count_;
  }
  bool has(const std::string &k) const {
    std::lock_guard<std::mutex> g(mu_);
    return items_.count(k) != 0;
  }
  // CHECK: inference.cpp:[[@LINE+1]]:29: note: field 'count_' is read without holding 'mu_'; 'mu_' is held at 5 of its 6 accesses (3 writes) [concur-unguarded-field]
  int size() const { return count_; }
  // CHECK: inference.cpp:[[@LINE-13]]:7: note: 'count_' written with 'mu_' held here
  // CHECK: inference.cpp:[[@LINE-9]]:7: note: 'count_' written with 'mu_' held here
  // CHECK: inference.cpp:{{[0-9]+}}:11: note: 'count_' read with 'mu_' held here
  // CHECK: inference.cpp:{{[0-9]+}}:22: note: 'mu_' declared here

  int lookup(const std::string &k) {
    // CHECK: inference.cpp:[[@LINE+1]]:12: warning: field 'items_' is written without holding 'mu_'; 'mu_' is held at 3 of its 4 accesses (2 writes)
    return items_[k];
  }

  // A private helper whose every caller holds mu_ runs holding it.
  void addMany(int v) {
    std::lock_guard<std::mutex> g(mu_);
    bumpLocked(v);
  }
  void addTwice(int v) {
    mu_.lock();
    bumpLocked(v);
    bumpLocked(v);
    mu_.unlock();
  }

  // Near miss: accessed before unlock(), and only then.
  void snapshot(int &out) {
    std::unique_lock<std::mutex> lk(mu_);
    out = count_;
    lk.unlock();
    ++calls_; // calls_ is never accessed under a lock: no evidence
  }

  // Near miss: the wait predicate runs with the wait's lock held.
  void waitNonEmpty() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return count_ > 0; });
  }

private:
  void bumpLocked(int v) { count_ += v; }

  mutable std::mutex mu_;
  std::condition_variable cv_;       // near miss: a synchronisation object
  std::map<std::string, int> items_;
  int count_;
  int calls_ = 0;
  std::atomic<int> hits_{0};         // near miss: atomic
  const int limit_ = 10;             // near miss: const
public:
  void touch() { hits_++; (void)limit_; }
};

// Two mutexes guarding different fields.
class Stats {
  std::mutex data_mu_, log_mu_;
  long total_ = 0;
  std::string log_;

public:
  void record(long v) {
    std::lock_guard<std::mutex> g(data_mu_);
    total_ += v;
  }
  void reset() {
    std::lock_guard<std::mutex> g(data_mu_);
    total_ = 0;
  }
  void note(const std::string &s) {
    std::lock_guard<std::mutex> g(log_mu_);
    log_ += s;
  }
  void clearLog() {
    std::lock_guard<std::mutex> g(log_mu_);
    log_.clear();
  }
  long total() {
    // CHECK: inference.cpp:[[@LINE+1]]:12: note: field 'total_' is read without holding 'data_mu_'; 'data_mu_' is held at 2 of its 4 accesses (2 writes)
    return total_;
  }
  void wrongLock(long v) {
    std::lock_guard<std::mutex> g(log_mu_);
    // CHECK: inference.cpp:[[@LINE+1]]:5: warning: field 'total_' is written without holding 'data_mu_'
    total_ = v;
  }
};

// Near miss: every access guarded.
class AllGuarded {
  std::mutex mu_;
  int n_ = 0;

public:
  void inc() { std::lock_guard<std::mutex> g(mu_); ++n_; }
  int get() { std::lock_guard<std::mutex> g(mu_); return n_; }
};

// Near miss: no write under the lock, so no guard (one guarded read among
// unguarded writes).
class Weak {
  std::mutex mu_;
  int n_ = 0;

public:
  void a() { n_ = 1; }
  void b() { n_ = 2; }
  int c() { std::lock_guard<std::mutex> g(mu_); return n_; }
};

// Near miss: a public method whose every caller in the TU holds the lock
// runs holding it (caller-context.cpp has more).
class PublicHelper {
  std::mutex mu_;
  int n_ = 0;

public:
  void inc() { std::lock_guard<std::mutex> g(mu_); ++n_; }
  void dec() { std::lock_guard<std::mutex> g(mu_); --n_; }
  void bumpLocked() { ++n_; }
  void viaHelper() { std::lock_guard<std::mutex> g(mu_); bumpLocked(); }
};

// A private helper with one unlocked caller is not assumed to hold it.
class OneUnlockedCaller {
  std::mutex mu_;
  int n_ = 0;
  // CHECK: inference.cpp:[[@LINE+1]]:19: warning: field 'n_' is written without holding 'mu_'
  void bump() { ++n_; }

public:
  void a() { std::lock_guard<std::mutex> g(mu_); bump(); ++n_; }
  void b() { std::lock_guard<std::mutex> g(mu_); --n_; }
  void c() { bump(); }
};

// Near miss: fields whose type wraps a synchronisation object are not data.
struct CondVarWrapper {
  std::condition_variable cv;
  void signal() { cv.notify_one(); }
};
class UsesWrapper {
  std::mutex mu_;
  CondVarWrapper ready_;
  int n_ = 0;

public:
  void a() { std::lock_guard<std::mutex> g(mu_); ++n_; ready_.signal(); }
  void b() { std::lock_guard<std::mutex> g(mu_); --n_; ready_.signal(); }
  void c() { ready_.signal(); }
};

// A helper the destructor calls tears the object down, like the destructor:
// its accesses are neither evidence nor reported, whoever else calls it. A
// call through a pointer field does not write the pointer.
struct Sink {
  void put(int);
};
class Cache {
  std::mutex mu_;
  int entries_ = 0;
  Sink *sink_ = nullptr;
  void unref() { --entries_; sink_->put(entries_); }

public:
  ~Cache() { unref(); }
  void release() { std::lock_guard<std::mutex> g(mu_); unref(); }
  void insert() { std::lock_guard<std::mutex> g(mu_); ++entries_; }
  void flush() {
    std::lock_guard<std::mutex> g(mu_);
    sink_ = nullptr;
  }
  void report() {
    // CHECK: inference.cpp:[[@LINE+1]]:5: warning: field 'sink_' is read without holding 'mu_'; 'mu_' is held at 1 of its 2 accesses (1 write)
    sink_->put(0);
  }
};

// vector::operator[] has a const overload: reading an element is a read;
// assigning to one writes the vector. map::operator[] inserts: a write.
class Slots {
  std::mutex mu_;
  std::vector<int> slots_;

public:
  void set(int i, int v) { std::lock_guard<std::mutex> g(mu_); slots_[i] = v; }
  void grow() { std::lock_guard<std::mutex> g(mu_); slots_.push_back(0); }
  // CHECK: inference.cpp:[[@LINE+1]]:27: warning: field 'slots_' is read without holding 'mu_'; 'mu_' is held at 2 of its 3 accesses (2 writes)
  int get(int i) { return slots_[i]; }
};

// Near miss: a field set once in the constructor and only read afterwards
// cannot race, even though most reads happen to be under the lock.
class Catalog {
  std::mutex mu_;
  const char *name_;
  int hits_ = 0;

public:
  explicit Catalog(const char *name) : name_(name) {}
  void hit() {
    std::lock_guard<std::mutex> g(mu_);
    ++hits_;
    (void)name_;
  }
  const char *describe() {
    std::lock_guard<std::mutex> g(mu_);
    return name_;
  }
  const char *name() { return name_; }
};
