// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note: field"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// Shapes from RocksDB's DBImpl where a lock held at some accesses is not a
// discipline: teardown reached from the destructor, a member object that
// synchronises itself, state one function keeps, a method whose body is in
// another file, an address forwarded to a constructor, more unlocked
// writes than locked ones. Most have a twin that is still reported.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>
#include <thread>

struct VersionSet {
  int LastSequence() const;
};

// Teardown: ~Db -> CloseImpl -> CloseHelper resets versions_ under both
// locks (its callees require them); the object is no longer shared there,
// so that write does not make the locks versions_'s guard.
class Db {
  std::mutex mutex_, closing_mutex_;
  std::unique_ptr<VersionSet> versions_;
  std::vector<int> pending_;
  bool closed_ = false;

  void CloseHelper() {
    std::lock_guard<std::mutex> g(mutex_);
    versions_.reset();
    pending_.clear();
  }
  void CloseImpl() { CloseHelper(); }

public:
  ~Db() {
    std::lock_guard<std::mutex> g(closing_mutex_);
    if (!closed_)
      CloseImpl();
  }
  void Close() {
    std::lock_guard<std::mutex> g(closing_mutex_);
    closed_ = true;
    CloseImpl();
  }
  int Sequence() { return versions_->LastSequence(); }

  // The twin: pending_ is written under mutex_ while the object is shared,
  // so the read in Size() is reported; CloseHelper's clear() is not.
  void Add(int v) {
    std::lock_guard<std::mutex> g(mutex_);
    pending_.push_back(v);
  }
  void Drop() {
    std::lock_guard<std::mutex> g(mutex_);
    pending_.pop_back();
  }
  // CHECK: lifecycle-and-ownership.cpp:[[@LINE+1]]:32: warning: field 'pending_' is read without holding 'mutex_'; 'mutex_' is held at 2 of its 3 accesses (2 writes)
  size_t Size() const { return pending_.size(); }
};

// A member object that holds a pointer to the lock it synchronises with
// (RocksDB's ErrorHandler and its db_mutex_) guards its own state: calling
// its methods without the owner's lock is its business, not a write of
// the member.
class Recovery {
  std::mutex *db_mutex_;
  int state_ = 0;

public:
  explicit Recovery(std::mutex *mu) : db_mutex_(mu) {}
  void SetError(int e) {
    std::lock_guard<std::mutex> g(*db_mutex_);
    state_ = e;
  }
  int Resume() {
    std::lock_guard<std::mutex> g(*db_mutex_);
    return state_;
  }
};

// The twin: a plain aggregate with no lock of its own.
struct Counters {
  long hits = 0;
  void Add() { ++hits; }
};

class Engine {
  std::mutex mutex_;
  Recovery recovery_{&mutex_};
  Counters counters_;

public:
  void Fail(int e) {
    std::lock_guard<std::mutex> g(mutex_);
    recovery_.SetError(e);
    counters_.Add();
  }
  void Fault() {
    std::lock_guard<std::mutex> g(mutex_);
    recovery_.SetError(1);
    counters_.Add();
  }
  int Resume() {
    // Near miss: Recovery takes db_mutex_ itself.
    int r = recovery_.Resume();
    // CHECK: lifecycle-and-ownership.cpp:[[@LINE+1]]:5: warning: field 'counters_' is written without holding 'mutex_'; 'mutex_' is held at 2 of its 3 accesses (2 writes)
    counters_.Add();
    return r;
  }
};

// State one function keeps: only Persist touches slice_, with stats_mu_
// held in one branch and not in the other. The lock guards history_.
class Stats {
  std::mutex stats_mu_;
  std::map<std::string, long> slice_;
  std::map<long, long> history_;
  bool in_memory_ = true;

public:
  void Persist(std::map<std::string, long> now) {
    if (!in_memory_) {
      slice_.swap(now);
      return;
    }
    std::lock_guard<std::mutex> g(stats_mu_);
    slice_.swap(now);
    history_[1] = 1;
  }
  // The twin: history_ is also read by Dump without the lock.
  // CHECK: lifecycle-and-ownership.cpp:[[@LINE+1]]:32: warning: field 'history_' is read without holding 'stats_mu_'; 'stats_mu_' is held at 1 of its 2 accesses (1 write)
  size_t Dump() const { return history_.size(); }
};

// A method whose body is in another file may lock before it writes
// (RocksDB's PeriodicTaskScheduler::Register takes a static mutex of its
// .cc): calling it reads the member, the callee's accesses are its own.
class Tasks {
public:
  int Register(int id);
  int Unregister(int id);
};
class Service {
  std::mutex mu_;
  Tasks tasks_;
  Counters jobs_;

public:
  void Start() { tasks_.Register(1); tasks_.Register(2); }
  void Stop() { tasks_.Unregister(1); }
  void Reconfigure() {
    std::lock_guard<std::mutex> g(mu_);
    tasks_.Unregister(2);
    jobs_.Add();
  }
  void Retry() {
    std::lock_guard<std::mutex> g(mu_);
    jobs_.Add();
  }
  // The twin: Counters::Add is visible and writes.
  // CHECK: lifecycle-and-ownership.cpp:[[@LINE+1]]:18: warning: field 'jobs_' is written without holding 'mu_'; 'mu_' is held at 2 of its 3 accesses (2 writes)
  void Again() { jobs_.Add(); }
};

// An address forwarded by emplace_back or make_unique to a constructor is
// bound there, not touched: the job uses it later, under its own rules.
struct Dirs {
  int n = 0;
};
struct Job {
  Job(Dirs *d, int id);
};
class Ingest {
  std::mutex mu_;
  Dirs dirs_;
  std::vector<Job> jobs_;

public:
  void Sync() {
    std::lock_guard<std::mutex> g(mu_);
    dirs_.n = 1;
  }
  void Run() {
    std::lock_guard<std::mutex> g(mu_);
    jobs_.emplace_back(&dirs_, 1);
    dirs_.n = 2;
  }
  std::unique_ptr<Job> Prepare() { return std::make_unique<Job>(&dirs_, 2); }
  void Queue(std::vector<Job> &out) { out.emplace_back(&dirs_, 3); }
  // The twin: a plain write still counts.
  // CHECK: lifecycle-and-ownership.cpp:[[@LINE+1]]:18: warning: field 'dirs_.n' is written without holding 'mu_'
  void Reset() { dirs_.n = 0; }
};

// Handing a variable to a function of the project whose body is in another
// file reads it: a test hook given its address, a helper given a non-const
// reference. What they do with it is their own access.
void TestHook(const char *name, void *arg);
void Refresh(Counters &c);
class Periodic {
  std::mutex mu_;
  Tasks scheduler_;
  Counters seen_;

public:
  void Init() {
    std::lock_guard<std::mutex> g(mu_);
    TestHook("Periodic::Init", &scheduler_);
    Refresh(seen_);
  }
  void Start() { scheduler_.Register(1); }
  void Stop() { scheduler_.Unregister(1); }
  void Poll() { Refresh(seen_); }
};

// More unlocked writes than locked ones: the lock was held for a callee
// that wants it, not for the variable (RocksDB's Repairer and LogAndApply).
void Apply(std::mutex *mu);
class Repairer {
  std::mutex mutex_;
  Counters vset_;

public:
  void Run() {
    vset_.Add();
    vset_.Add();
    {
      std::lock_guard<std::mutex> g(mutex_);
      vset_.Add();
      Apply(&mutex_);
    }
    vset_.Add();
  }
  void Scan() { vset_.Add(); }
};

// Copy and move assignment and a member swap replace the whole object, as
// a constructor builds it: the object belongs to one thread there (Poco's
// delegates assign their receiver unlocked, notify() reads it locked). A
// method that assigns one field is not one of them; but since these copy
// receiver_ from another Delegate without a lock, receiver_ is a value's
// field (value-copies.cpp) and that method's write is not reported either.
class Delegate {
  std::mutex mu_;
  void *receiver_ = nullptr;

public:
  Delegate &operator=(const Delegate &o) {
    receiver_ = o.receiver_; // near miss
    return *this;
  }
  Delegate &operator=(Delegate &&o) {
    receiver_ = o.receiver_; // near miss
    return *this;
  }
  void swap(Delegate &o) { std::swap(receiver_, o.receiver_); } // near miss
  void swap(void *&p) {
    std::swap(receiver_, p); // near miss: a value's field
  }
  bool notify() {
    std::lock_guard<std::mutex> g(mu_);
    return receiver_ != nullptr;
  }
  void disable() {
    std::lock_guard<std::mutex> g(mu_);
    receiver_ = nullptr;
  }
};

// The same with assignments that lock both objects: not a value type, so
// the method that assigns one field is reported; the assignments and the
// swap with another object are still lifecycle code.
class LockedDelegate {
  mutable std::mutex mu_;
  void *receiver_ = nullptr;

public:
  LockedDelegate &operator=(const LockedDelegate &o) {
    std::scoped_lock l(mu_, o.mu_);
    receiver_ = o.receiver_; // near miss
    return *this;
  }
  void swap(LockedDelegate &o) {
    std::scoped_lock l(mu_, o.mu_);
    std::swap(receiver_, o.receiver_); // near miss
  }
  void swap(void *&p) {
    // CHECK: lifecycle-and-ownership.cpp:[[@LINE+1]]:15: warning: field 'receiver_' is written without holding 'mu_'
    std::swap(receiver_, p);
  }
  void *take() {
    std::lock_guard<std::mutex> g(mu_);
    void *r = receiver_;
    receiver_ = nullptr;
    return r;
  }
};

// Calls on an object its caller has just created, before the object is
// handed anywhere, run before anything else can see it: set-up code
// (RocksDB's CompactedDBImpl::Open calls db->Init() on the object it got
// from `new`; DBImpl::Open calls impl->Recover() with the mutex held). A
// call after the object escaped (passed to a function, captured by a
// lambda) or after a call that starts its threads is not.
void Publish(class Compacted *db);
class Compacted {
  std::mutex mu_;
  std::vector<int> cfd_;
  std::vector<int> versions_;
  std::thread worker_;

public:
  void Init() { cfd_.push_back(0); }     // near miss
  void Recover() { cfd_.push_back(1); }  // near miss
  // CHECK: lifecycle-and-ownership.cpp:[[@LINE+1]]:20: warning: field 'cfd_' is written without holding 'mu_'
  void Refresh() { cfd_.clear(); }
  // CHECK: lifecycle-and-ownership.cpp:[[@LINE+1]]:19: warning: field 'versions_' is written without holding 'mu_'
  void Reload() { versions_.clear(); }
  void Start() {
    worker_ = std::thread([this] { Add(1); });
  }
  void Add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    cfd_.push_back(v);
    cfd_.push_back(v);
    versions_.push_back(v);
    versions_.push_back(v);
  }
  static Compacted *Open() {
    auto *db = new Compacted;
    db->Init();
    db->mu_.lock();
    db->Recover();
    db->mu_.unlock();
    Publish(db);
    db->Refresh();
    return db;
  }
  static std::unique_ptr<Compacted> OpenUnique() {
    std::unique_ptr<Compacted> db(new Compacted);
    db->Init();
    db->Start();
    db->Reload();
    return db;
  }
};

// A test fixture's set-up and tear-down run on the test's thread, before
// and after the threads its test starts (Poco's NotificationQueueTest
// clears _handled in setUp()). A method of the same name that overrides
// nothing is judged as any other.
struct TestCase {
  virtual ~TestCase() = default;
  virtual void setUp() {}
  virtual void tearDown() {}
};
class QueueTest : public TestCase {
  std::mutex mu_;
  std::vector<int> handled_;

public:
  void setUp() override { handled_.clear(); }    // near miss
  void tearDown() override { handled_.clear(); } // near miss
  void work(int v) {
    std::lock_guard<std::mutex> g(mu_);
    handled_.push_back(v);
    handled_.push_back(v);
  }
};
class Pool {
  std::mutex mu_;
  std::vector<int> slots_;

public:
  // CHECK: lifecycle-and-ownership.cpp:[[@LINE+1]]:18: warning: field 'slots_' is written without holding 'mu_'
  void setUp() { slots_.clear(); }
  void fill(int v) {
    std::lock_guard<std::mutex> g(mu_);
    slots_.push_back(v);
  }
};
