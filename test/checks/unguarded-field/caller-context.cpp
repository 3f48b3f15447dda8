// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// A function whose every call site holds a lock runs holding it; an
// access in a getter called without the lock is reported with the call.
#include <mutex>
#include <string>
#include <vector>

// Near miss: a public method whose every caller in the TU holds mu_.
class Counter {
  std::mutex mu_;
  int n_ = 0;

public:
  void bumpLocked() { ++n_; }
  void add() {
    std::lock_guard<std::mutex> g(mu_);
    bumpLocked();
  }
  int get() {
    std::lock_guard<std::mutex> g(mu_);
    return n_;
  }
};

// Near miss: every caller holds a lock of another object (the container
// that owns the items), which serialises the item's methods.
class Item {
  std::mutex own_;
  std::string state_;

public:
  void refresh() {
    std::lock_guard<std::mutex> g(own_);
    state_ = "fresh";
  }
  void touch() { state_ += "!"; }
  const std::string &peek() { return state_; }
};
class Shelf {
  std::mutex mu_;
  std::vector<Item *> items_;

public:
  void touchAll() {
    std::lock_guard<std::mutex> g(mu_);
    for (Item *I : items_) {
      I->touch();
      (void)I->peek();
    }
  }
};

// A getter called from a method that holds nothing, while the writers
// hold the lock: reported in the getter, with the unlocked call.
class Job {
  std::mutex mu_;
  int status_ = 0;

  int statusNoLock() const {
    // CHECK: caller-context.cpp:[[@LINE+1]]:12: note: field 'status_' is read without holding 'mu_'; 'mu_' is held at 1 of its 2 accesses (1 write)
    return status_;
  }

public:
  void finish(int s) {
    std::lock_guard<std::mutex> g(mu_);
    status_ = s;
  }
  bool ok() {
    std::lock_guard<std::mutex> g(mu_);
    return statusNoLock() == 0;
  }
  bool failed() { return statusNoLock() != 0; }
};
// CHECK: caller-context.cpp:[[@LINE-2]]:26: note: 'failed' calls 'statusNoLock' without holding 'mu_'

// A helper chain: the outer method holds nothing.
class Chain {
  std::mutex mu_;
  int v_ = 0;
  int inner() {
    // CHECK: caller-context.cpp:[[@LINE+1]]:12: note: field 'v_' is read without holding 'mu_'
    return v_;
  }
  int outer() { return inner() + 1; }

public:
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    v_ = v;
  }
  int value() { return outer(); }
};
// CHECK: caller-context.cpp:[[@LINE-2]]:24: note: 'value' calls 'outer' without holding 'mu_'
// CHECK: caller-context.cpp:[[@LINE-10]]:24: note: 'outer' calls 'inner' without holding 'mu_'

// A public method with no visible caller may be called from anywhere
// with nothing held.
class Open {
  std::mutex mu_;
  int hits_ = 0;

public:
  void hit() {
    std::lock_guard<std::mutex> g(mu_);
    ++hits_;
  }
  // CHECK: caller-context.cpp:[[@LINE+1]]:26: warning: field 'hits_' is written without holding 'mu_'
  void resetUnlocked() { hits_ = 0; }
};

// Near miss: a method handed to a thread by address has callers concur
// cannot see; its only call site holding a lock does not make it locked,
// and it is reported.
#include <thread>
class Worker {
  std::mutex mu_;
  int ticks_ = 0;

public:
  void tick() {
    // CHECK: caller-context.cpp:[[@LINE+1]]:7: warning: field 'ticks_' is written without holding 'mu_'
    ++ticks_;
  }
  void tickLocked() {
    std::lock_guard<std::mutex> g(mu_);
    tick();
    ++ticks_;
  }
  std::thread start() { return std::thread(&Worker::tick, this); }
};

// A private method no code of this file calls runs where its callers are,
// which this file does not show: here a member template that is not
// instantiated calls it with the lock held (Poco's Condition::wait and
// enqueue()). A private method called here, or a virtual one, is judged
// as before.
class WaitList {
  std::mutex mu_;
  std::vector<int *> waiters_;
  void enqueue(int &e) { waiters_.push_back(&e); } // near miss
  void dequeue() { waiters_.pop_back(); }          // near miss
  void drop() {
    // CHECK: caller-context.cpp:[[@LINE+1]]:5: warning: field 'waiters_' is written without holding 'mu_'
    waiters_.clear();
  }
  virtual void hook() {
    // CHECK: caller-context.cpp:[[@LINE+1]]:5: warning: field 'waiters_' is written without holding 'mu_'
    waiters_.pop_back();
  }

public:
  virtual ~WaitList() = default;
  template <class M> void wait(M &m) {
    int e = 0;
    std::lock_guard<std::mutex> g(mu_);
    enqueue(e);
    m.unlock();
    dequeue();
  }
  void broadcast() {
    std::lock_guard<std::mutex> g(mu_);
    waiters_.clear();
  }
  void add(int *p) {
    std::lock_guard<std::mutex> g(mu_);
    waiters_.push_back(p);
    waiters_.push_back(p);
    waiters_.pop_back();
  }
  void reset() { drop(); }
};

// A protected method no code of this file calls runs in a derived class,
// which this file does not show either: judged as a private one. A
// protected method called here is judged as before.
class Table {
  std::mutex mu_;
  std::vector<int> rows_;

protected:
  void appendRow(int r) { rows_.push_back(r); } // near miss
  void trim() {
    // CHECK: caller-context.cpp:[[@LINE+1]]:5: warning: field 'rows_' is written without holding 'mu_'
    rows_.pop_back();
  }

public:
  void add(int r) {
    std::lock_guard<std::mutex> g(mu_);
    rows_.push_back(r);
    rows_.push_back(r);
  }
  void clear() {
    std::lock_guard<std::mutex> g(mu_);
    rows_.clear();
  }
  void shrink() { trim(); }
};

// A virtual call may run any override: an override's callers include the
// calls made through the methods it overrides. Poco's event strategies
// call AbstractDelegate::equals() while the event's mutex is held, so a
// delegate's equals() runs serialised by it. The twin is called through
// its base with nothing held.
struct AbstractDelegate {
  virtual ~AbstractDelegate() = default;
  virtual bool equals(const AbstractDelegate &) const = 0;
  virtual void disable() = 0;
  virtual bool accepts() const = 0;
};
template <class T> class MemberDelegate : public AbstractDelegate {
  mutable std::mutex mu_;
  T *receiver_;
  std::string topic_;

public:
  explicit MemberDelegate(T *r) : receiver_(r) {}
  bool equals(const AbstractDelegate &o) const override {
    auto *p = dynamic_cast<const MemberDelegate *>(&o);
    return p && receiver_ == p->receiver_; // near miss
  }
  void disable() override {
    std::lock_guard<std::mutex> g(mu_);
    receiver_ = nullptr;
    topic_.clear();
  }
  bool notify() {
    std::lock_guard<std::mutex> g(mu_);
    return receiver_ != nullptr;
  }
  bool accepts() const override {
    // CHECK: caller-context.cpp:[[@LINE+1]]:12: warning: field 'topic_' is read without holding 'mu_'
    return topic_.empty();
  }
};
class Event {
  std::mutex mu_;
  std::vector<AbstractDelegate *> delegates_;

public:
  void remove(const AbstractDelegate &d) {
    std::lock_guard<std::mutex> g(mu_);
    for (AbstractDelegate *x : delegates_)
      if (d.equals(*x))
        x->disable();
  }
  bool anyAccepts(const AbstractDelegate &d) { return d.accepts(); }
};
struct Receiver {};
template class MemberDelegate<Receiver>;

// A function called only by itself, or an override whose only "caller" is
// its own call of the base version, is an entry point: recursion does not
// make it set-up code (Poco's FileChannel::getProperty() ends with
// Channel::getProperty(name)).
struct Channel {
  virtual ~Channel() = default;
  virtual std::string getProperty(const std::string &name) const { return name; }
};
class FileChannel : public Channel {
  mutable std::mutex mu_;
  std::string path_;
  std::vector<int> parts_;

public:
  void setPath(const std::string &p) {
    std::lock_guard<std::mutex> g(mu_);
    path_ = p;
    parts_.push_back(1);
  }
  std::string getProperty(const std::string &name) const override {
    if (name == "path")
      // CHECK: caller-context.cpp:[[@LINE+1]]:14: warning: field 'path_' is read without holding 'mu_'
      return path_;
    return Channel::getProperty(name);
  }
  size_t count(size_t i) {
    // CHECK: caller-context.cpp:[[@LINE+1]]:14: warning: field 'parts_' is read without holding 'mu_'
    if (i >= parts_.size())
      return i;
    return count(i + 1);
  }
};

// Wrappers forward through their base (RocksDB's FileSystemWrapper over
// MockFileSystem): the overrides call one another in a cycle that no other
// code of the file enters. They are entry points, and a private helper
// they call with the lock held runs serialised by it.
struct Fs {
  virtual ~Fs() = default;
  virtual bool rename(const std::string &from, const std::string &to) = 0;
};
class FsWrapper : public Fs {
  Fs *target_;

public:
  explicit FsWrapper(Fs *t) : target_(t) {}
  bool rename(const std::string &from, const std::string &to) override {
    return target_->rename(from, to);
  }
};
class MemFs : public Fs {
  std::mutex mu_;
  std::vector<std::string> files_;

  bool renameLocked(const std::string &from, const std::string &to) {
    for (std::string &f : files_) // near miss: its callers hold mu_
      if (f == from) {
        f = to;
        return true;
      }
    return false;
  }

public:
  bool rename(const std::string &from, const std::string &to) override {
    std::lock_guard<std::mutex> g(mu_);
    return renameLocked(from, to);
  }
  void add(const std::string &f) {
    std::lock_guard<std::mutex> g(mu_);
    files_.push_back(f);
  }
  // CHECK: caller-context.cpp:[[@LINE+1]]:27: warning: field 'files_' is read without holding 'mu_'
  size_t count() { return files_.size(); }
};
