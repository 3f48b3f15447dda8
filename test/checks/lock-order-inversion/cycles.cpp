// RUN: not %concur --quiet --checks=-*,concur-lock-order-inversion %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-lock-order-inversion %s -- %std
//
// Cycles of three or more locks, no two of them taken in both orders: one
// finding per cycle, at the acquisition that closes it last in the file,
// with every edge of the cycle as notes. The near misses: a common outer
// lock around every edge, a try-lock on one edge, a scoped_lock of two of
// them, a chain that does not close.
#include <mutex>

std::mutex p, q, r;

void pThenQ() {
  std::lock_guard<std::mutex> gp(p);
  std::lock_guard<std::mutex> gq(q);
}
void qThenR() {
  std::lock_guard<std::mutex> gq(q);
  std::lock_guard<std::mutex> gr(r);
}
void rThenP() {
  std::lock_guard<std::mutex> gr(r);
  // CHECK: cycles.cpp:[[@LINE+1]]:31: warning: lock 'p' acquired while holding 'r' closes a cycle of 3 locks ('p' -> 'q' -> 'r' -> 'p'); threads taking them in these orders deadlock [concur-lock-order-inversion]
  std::lock_guard<std::mutex> gp(p);
  // CHECK: cycles.cpp:[[@LINE-3]]:31: note: lock 'r' acquired here
  // CHECK: cycles.cpp:[[@LINE-12]]:31: note: next in the cycle: lock 'p' acquired here
  // CHECK: cycles.cpp:[[@LINE-12]]:31: note: then lock 'q' acquired here
  // CHECK: cycles.cpp:[[@LINE-10]]:31: note: next in the cycle: lock 'q' acquired here
  // CHECK: cycles.cpp:[[@LINE-10]]:31: note: then lock 'r' acquired here
}

// Four locks, members of one class across its methods, one edge through a
// callee: the cycle is reported once, with the callee's chain.
class Pipeline {
  std::mutex in_mu_, parse_mu_, plan_mu_, out_mu_;
  void flushOutput() { std::lock_guard<std::mutex> g(out_mu_); }

public:
  void read() {
    std::lock_guard<std::mutex> g1(in_mu_);
    std::lock_guard<std::mutex> g2(parse_mu_);
  }
  void parse() {
    std::lock_guard<std::mutex> g1(parse_mu_);
    std::lock_guard<std::mutex> g2(plan_mu_);
  }
  void plan() {
    std::lock_guard<std::mutex> g1(plan_mu_);
    flushOutput();
  }
  void write() {
    out_mu_.lock();
    // CHECK: cycles.cpp:[[@LINE+1]]:12: warning: lock 'in_mu_' acquired while holding 'out_mu_' closes a cycle of 4 locks ('in_mu_' -> 'parse_mu_' -> 'plan_mu_' -> 'out_mu_' -> 'in_mu_')
    in_mu_.lock();
    // CHECK: cycles.cpp:[[@LINE-3]]:13: note: lock 'out_mu_' acquired here
    // CHECK: cycles.cpp:[[@LINE-16]]:33: note: next in the cycle: lock 'in_mu_' acquired here
    // CHECK: cycles.cpp:[[@LINE-16]]:33: note: then lock 'parse_mu_' acquired here
    // CHECK: cycles.cpp:[[@LINE-14]]:33: note: next in the cycle: lock 'parse_mu_' acquired here
    // CHECK: cycles.cpp:[[@LINE-14]]:33: note: then lock 'plan_mu_' acquired here
    // CHECK: cycles.cpp:[[@LINE-12]]:33: note: next in the cycle: lock 'plan_mu_' acquired here
    // CHECK: cycles.cpp:[[@LINE-12]]:5: note: then 'Pipeline::flushOutput' acquires lock 'out_mu_' here
    // CHECK: cycles.cpp:[[@LINE-26]]:52: note: 'Pipeline::flushOutput' acquires 'out_mu_' here
    in_mu_.unlock();
    out_mu_.unlock();
  }
};

// A cycle and a shorter one in one component: only the shortest is
// reported (s1 -> s2 -> s3 -> s1; s3 -> s4 -> s5 -> s1 makes a longer one).
std::mutex s1, s2, s3, s4, s5;
void s1s2() { std::lock_guard<std::mutex> a(s1); std::lock_guard<std::mutex> b(s2); }
void s2s3() { std::lock_guard<std::mutex> a(s2); std::lock_guard<std::mutex> b(s3); }
void s3s4() { std::lock_guard<std::mutex> a(s3); std::lock_guard<std::mutex> b(s4); }
void s4s5() { std::lock_guard<std::mutex> a(s4); std::lock_guard<std::mutex> b(s5); }
void s5s1() { std::lock_guard<std::mutex> a(s5); std::lock_guard<std::mutex> b(s1); }
// CHECK: cycles.cpp:[[@LINE+1]]:78: warning: lock 's1' acquired while holding 's3' closes a cycle of 3 locks ('s1' -> 's2' -> 's3' -> 's1')
void s3s1() { std::lock_guard<std::mutex> a(s3); std::lock_guard<std::mutex> b(s1); }

// Near miss: every edge of the cycle under one outer lock.
std::mutex big, t1, t2, t3;
void t1t2() { std::lock_guard<std::mutex> o(big); std::lock_guard<std::mutex> a(t1); std::lock_guard<std::mutex> b(t2); }
void t2t3() { std::lock_guard<std::mutex> o(big); std::lock_guard<std::mutex> a(t2); std::lock_guard<std::mutex> b(t3); }
void t3t1() { std::lock_guard<std::mutex> o(big); std::lock_guard<std::mutex> a(t3); std::lock_guard<std::mutex> b(t1); }

// Near miss: one edge of the cycle is a try-lock, which backs off.
std::mutex u1, u2, u3;
void u1u2() { std::lock_guard<std::mutex> a(u1); std::lock_guard<std::mutex> b(u2); }
void u2u3() { std::lock_guard<std::mutex> a(u2); std::lock_guard<std::mutex> b(u3); }
void u3u1() {
  std::lock_guard<std::mutex> a(u3);
  std::unique_lock<std::mutex> b(u1, std::try_to_lock);
}

// Near miss: one edge of the cycle is taken together with its first lock
// by std::scoped_lock, which makes no edge between them.
std::mutex v1, v2, v3;
void v1v2() { std::lock_guard<std::mutex> a(v1); std::lock_guard<std::mutex> b(v2); }
void v2v3() { std::lock_guard<std::mutex> a(v2); std::lock_guard<std::mutex> b(v3); }
void v3v1() { std::scoped_lock both(v3, v1); }

// Near miss: a chain that does not close (w1 -> w2 -> w3, w1 -> w3).
std::mutex w1, w2, w3;
void w1w2() { std::lock_guard<std::mutex> a(w1); std::lock_guard<std::mutex> b(w2); }
void w2w3() { std::lock_guard<std::mutex> a(w2); std::lock_guard<std::mutex> b(w3); }
void w1w3() { std::lock_guard<std::mutex> a(w1); std::lock_guard<std::mutex> b(w3); }

// Near miss: the same member of distinct objects in a ring (a.mu -> b.mu ->
// c.mu -> a.mu through parameters): concur cannot tell them apart at run
// time and does not guess.
struct Node {
  std::mutex mu;
};
void link(Node &a, Node &b) {
  std::lock_guard<std::mutex> g1(a.mu);
  std::lock_guard<std::mutex> g2(b.mu);
}
