// RUN: not %concur --fail-on=note --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note: field"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// A class template takes its lock as a policy; instantiated with a lock
// that does nothing (Poco's NullMutex, spdlog's null_mutex), its object is
// used by one thread, by contract. Its accesses do not race, and what it
// calls runs as serialised as under a real lock (Poco's BasicEvent<int,
// NullMutex> calls the same DefaultStrategy<int>::remove() as every
// thread-safe event, which calls each delegate's equals()).
#include <mutex>
#include <string>
#include <vector>

struct NullMutex {
  NullMutex() {}
  void lock() {}
  bool try_lock() { return true; }
  void unlock() {}
};

// Poco's ScopedLock: a guard over whatever lock it is given; over a null
// lock it holds nothing.
template <class M> class ScopedLock {
  M &m_;

public:
  explicit ScopedLock(M &m) : m_(m) { m_.lock(); }
  ~ScopedLock() { m_.unlock(); }
};

struct Delegate {
  virtual ~Delegate() = default;
  virtual bool equals(const Delegate &) const = 0;
};
class MemberDelegate : public Delegate {
  mutable std::mutex mu_;
  void *receiver_ = nullptr;

public:
  bool equals(const Delegate &o) const override {
    auto *p = dynamic_cast<const MemberDelegate *>(&o);
    return p && receiver_ == p->receiver_; // near miss: every caller locks
  }
  void disable() {
    std::lock_guard<std::mutex> g(mu_);
    receiver_ = nullptr;
  }
};

// A wrapper that forwards (Poco's Expire<T>::equals() asks the delegate it
// wraps): it runs where its callers are, and so does what it calls.
class Expiring : public Delegate {
  Delegate *inner_;

public:
  explicit Expiring(Delegate *d) : inner_(d) {}
  bool equals(const Delegate &o) const override { return inner_->equals(o); }
};

template <class D> class Strategy {
  std::vector<D *> list_;

public:
  void remove(const D &d) {
    for (auto It = list_.begin(); It != list_.end(); ++It)
      if ((*It)->equals(d)) {
        list_.erase(It);
        return;
      }
  }
};

template <class M> class BasicEvent {
  M mu_;
  Strategy<Delegate> strategy_;
  std::vector<int> fired_;

public:
  void operator-=(const Delegate &d) {
    ScopedLock<M> g(mu_);
    strategy_.remove(d);
  }
  void fire(int v) {
    ScopedLock<M> g(mu_);
    fired_.push_back(v);
  }
  // Reported where M is a real mutex, in the instantiation for it only.
  // CHECK: null-lock-policy.cpp:[[@LINE+1]]:33: warning: field 'fired_' is read without holding 'mu_'
  size_t count() const { return fired_.size(); }
};

// Near miss: only ever made with a null lock.
template <class M> class Cache {
  M mu_;
  std::string value_;

public:
  void set(const std::string &v) {
    ScopedLock<M> g(mu_);
    value_ = v;
  }
  std::string get() { return value_; }
};

// Not a null lock: its unlock() does something, so a template made with it
// keeps its findings (here it locks nothing real: no guard, no finding).
struct LoggingLock {
  void lock() {}
  void unlock() { ++released; }
  static int released;
};

void use(MemberDelegate &d) {
  BasicEvent<std::mutex> shared;
  BasicEvent<NullMutex> local;
  shared -= d;
  local -= d;
  Expiring e(&d);
  shared -= e;
  local -= e;
  shared.fire(1);
  local.fire(2);
  (void)shared.count();
  (void)local.count();
  Cache<NullMutex> c;
  c.set("x");
  (void)c.get();
  Cache<LoggingLock> l;
  l.set("y");
  (void)l.get();
  d.disable();
}
