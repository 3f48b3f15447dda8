// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// Clang's thread-safety annotations are ground truth where present.
#include <mutex>

#define GUARDED_BY(x) __attribute__((guarded_by(x)))
#define REQUIRES(x) __attribute__((requires_capability(x)))

class Account {
  std::mutex mu_;
  long balance_ GUARDED_BY(mu_) = 0;
  long audit_ GUARDED_BY(mu_) = 0;

public:
  // One unguarded access is enough when the field is annotated.
  // CHECK: annotations.cpp:[[@LINE+1]]:27: warning: field 'balance_' is read without holding 'mu_'; it is declared GUARDED_BY(mu_)
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
