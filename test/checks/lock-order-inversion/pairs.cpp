// RUN: not %concur --quiet --checks=-*,concur-lock-order-inversion %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-lock-order-inversion %s -- %std
//
// Two locks taken in opposite orders on two paths of the translation unit,
// the second acquisition directly or inside a callee: one finding per
// pair, at the later second acquisition, with both orders as notes. The
// near misses: a common outer lock, a try-lock, std::scoped_lock of both,
// two objects of one class.
#include <mutex>

std::mutex a, b, c, d, outer, e, f;

void aThenB() {
  std::lock_guard<std::mutex> ga(a);
  std::lock_guard<std::mutex> gb(b);
}
void bThenA() {
  std::lock_guard<std::mutex> gb(b);
  // CHECK: pairs.cpp:[[@LINE+1]]:31: warning: lock 'a' acquired while holding 'b', but elsewhere 'b' is acquired while holding 'a'; two threads taking them in these orders deadlock [concur-lock-order-inversion]
  std::lock_guard<std::mutex> ga(a);
  // CHECK: pairs.cpp:[[@LINE-3]]:31: note: lock 'b' acquired here
  // CHECK: pairs.cpp:[[@LINE-8]]:31: note: the other order: lock 'a' acquired here
  // CHECK: pairs.cpp:[[@LINE-8]]:31: note: then lock 'b' acquired here
}

// The second acquisition inside a callee, and members of one class across
// its methods.
class Ledger {
  std::mutex accounts_mu_;
  std::mutex journal_mu_;
  void appendJournal() { std::lock_guard<std::mutex> g(journal_mu_); }

public:
  void post() {
    std::lock_guard<std::mutex> g(accounts_mu_);
    appendJournal();
  }
  void audit() {
    journal_mu_.lock();
    // CHECK: pairs.cpp:[[@LINE+1]]:18: warning: lock 'accounts_mu_' acquired while holding 'journal_mu_', but elsewhere 'journal_mu_' is acquired while holding 'accounts_mu_'
    accounts_mu_.lock();
    // CHECK: pairs.cpp:[[@LINE-3]]:17: note: lock 'journal_mu_' acquired here
    // CHECK: pairs.cpp:[[@LINE-8]]:33: note: the other order: lock 'accounts_mu_' acquired here
    // CHECK: pairs.cpp:[[@LINE-8]]:5: note: then 'Ledger::appendJournal' acquires lock 'journal_mu_' here
    // CHECK: pairs.cpp:[[@LINE-14]]:54: note: 'Ledger::appendJournal' acquires 'journal_mu_' here
    accounts_mu_.unlock();
    journal_mu_.unlock();
  }
};

// Near miss: both orders under a common outer lock.
void cThenD() {
  std::lock_guard<std::mutex> go(outer);
  std::lock_guard<std::mutex> gc(c);
  std::lock_guard<std::mutex> gd(d);
}
void dThenC() {
  std::lock_guard<std::mutex> go(outer);
  std::lock_guard<std::mutex> gd(d);
  std::lock_guard<std::mutex> gc(c);
}

// Near miss: one side is a try-lock, which backs off.
void eThenF() {
  std::lock_guard<std::mutex> ge(e);
  std::lock_guard<std::mutex> gf(f);
}
void fThenTryE() {
  std::lock_guard<std::mutex> gf(f);
  std::unique_lock<std::mutex> ge(e, std::try_to_lock);
  if (e.try_lock())
    e.unlock();
}

// Near miss: std::scoped_lock and std::lock take both without an order.
std::mutex g, h;
void bothAtOnce() { std::scoped_lock both(g, h); }
void bothAtOnceReversed() { std::scoped_lock both(h, g); }
void stdLock() {
  std::lock(h, g);
  h.unlock();
  g.unlock();
}

// Near miss: the same member of two objects, in opposite orders.
struct Account {
  std::mutex mu;
};
void transfer(Account &from, Account &to) {
  std::lock_guard<std::mutex> g1(from.mu);
  std::lock_guard<std::mutex> g2(to.mu);
}
