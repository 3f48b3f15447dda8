// RUN: not %concur --fail-on=note --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// Clang's thread-safety annotations are ground truth where present.
#include <atomic>
#include <mutex>

#define GUARDED_BY(x) __attribute__((guarded_by(x)))
#define REQUIRES(x) __attribute__((requires_capability(x)))

class Account {
  std::mutex mu_;
  long balance_ GUARDED_BY(mu_) = 0;
  long audit_ GUARDED_BY(mu_) = 0;

public:
  // One unguarded access is enough when the field is annotated.
  // CHECK: annotations.cpp:[[@LINE+1]]:27: note: field 'balance_' is read without holding 'mu_'; it is declared GUARDED_BY(mu_)
  long balance() { return balance_; }
  // CHECK: annotations.cpp:[[@LINE-7]]:8: note: 'balance_' is declared GUARDED_BY(mu_) here

  // Near miss: REQUIRES(mu_) means the caller holds it.
  void applyLocked(long d) REQUIRES(mu_) { balance_ += d; audit_++; }
  void deposit(long d) {
    std::lock_guard<std::mutex> g(mu_);
    applyLocked(d);
  }
};

// Near miss: GUARDED_BY a lock type no rule models. concur cannot see it
// taken, so it cannot check the field (with a rules file for Lockable, it
// would).
class Lockable {
public:
  void Lock();
  void Unlock();
};
class Opaque {
  Lockable mu_;
  int n_ GUARDED_BY(mu_) = 0;

public:
  void inc() { mu_.Lock(); ++n_; mu_.Unlock(); }
  int get() { return n_; }
};

#define NO_THREAD_SAFETY_ANALYSIS __attribute__((no_thread_safety_analysis))
#define RELEASE(x) __attribute__((release_capability(x)))
#define ACQUIRE(x) __attribute__((acquire_capability(x)))
#define ASSERT_HELD(x) __attribute__((assert_capability(x)))

// Shaped like absl's CordzInfo: lock functions, an assertion wrapper, an
// opt-out for tests, and a tracker made only of atomics.
struct Tracker {
  std::atomic<long> values[4];
  void add(int i) { values[i].fetch_add(1, std::memory_order_relaxed); }
};
class Info {
  mutable std::mutex mutex_;
  int rep_ GUARDED_BY(mutex_) = 0;
  Tracker tracker_;

public:
  void Lock() ACQUIRE(mutex_) {
    mutex_.lock();
    tracker_.add(0);
  }
  // Near miss: an unlock function starts with the lock held.
  void Unlock() RELEASE(mutex_) {
    bool tracked = rep_ != 0;
    mutex_.unlock();
    (void)tracked;
  }
  void AssertHeld() ASSERT_HELD(mutex_) {}
  // Near miss: asserted held through the wrapper.
  void SetRep(int r) {
    AssertHeld();
    rep_ = r;
  }
  // Near miss: opted out of thread-safety analysis.
  int RepForTesting() NO_THREAD_SAFETY_ANALYSIS { return rep_; }
  // Near miss: the tracker is thread-safe by itself.
  long stats() { return tracker_.values[0].load(); }
  void update(int r) {
    Lock();
    rep_ = r;
    Unlock();
  }
};

// Near miss: a lambda whose caller is not known (here handed on by pointer)
// is no evidence either way.
template <typename F> void runLater(F *f);
class Deferred {
  std::mutex mu_;
  int n_ = 0;

public:
  void a() { std::lock_guard<std::mutex> g(mu_); ++n_; }
  void b() { std::lock_guard<std::mutex> g(mu_); --n_; }
  void c() {
    auto check = [this] { return n_ > 0; };
    runLater(&check);
  }
};
