// RUN: not %concur --quiet --checks=-*,concur-lock-order-inversion %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-lock-order-inversion %s -- %std
//
// Orders declared with Clang's ACQUIRED_BEFORE / ACQUIRED_AFTER are ground
// truth: an acquisition against them is reported without an opposite path
// in the code, and the path that follows the declaration pairs with
// nothing (the inversion is reported once, at the wrong side). The near
// misses: the declared order itself, a try-lock against it, two objects.
#define CAPABILITY(x) __attribute__((capability(x)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
#define TRY_ACQUIRE(...) __attribute__((try_acquire_capability(__VA_ARGS__)))
#define ACQUIRED_BEFORE(...) __attribute__((acquired_before(__VA_ARGS__)))
#define ACQUIRED_AFTER(...) __attribute__((acquired_after(__VA_ARGS__)))

class CAPABILITY("mutex") Mutex {
public:
  void Lock() ACQUIRE();
  void Unlock() RELEASE();
  bool TryLock() TRY_ACQUIRE(true);
};

class Cache {
  Mutex table_mu_;
  Mutex stats_mu_ ACQUIRED_AFTER(table_mu_);
  int hits_ = 0;
  void countHit() {
    stats_mu_.Lock();
    hits_++;
    stats_mu_.Unlock();
  }

public:
  // Near miss: the declared order, directly and through a callee.
  void lookup() {
    table_mu_.Lock();
    countHit();
    table_mu_.Unlock();
  }
  void report() {
    stats_mu_.Lock();
    // CHECK: declared-order.cpp:[[@LINE+1]]:15: warning: lock 'table_mu_' acquired while holding 'stats_mu_', against the declared order ('table_mu_' before 'stats_mu_'); a thread taking them in the declared order deadlocks with this one [concur-lock-order-inversion]
    table_mu_.Lock();
    // CHECK: declared-order.cpp:[[@LINE-3]]:15: note: lock 'stats_mu_' acquired here
    // CHECK: declared-order.cpp:[[@LINE-20]]:19: note: the order is declared here
    table_mu_.Unlock();
    stats_mu_.Unlock();
  }
  // Near miss: a try-lock against the order backs off instead of waiting.
  void tryReport() {
    stats_mu_.Lock();
    if (table_mu_.TryLock())
      table_mu_.Unlock();
    stats_mu_.Unlock();
  }
};

// Near miss: the members of two objects: the declared order is of one
// object's members, and b.low then a.high breaks it for neither.
struct Levels {
  Mutex high;
  Mutex low ACQUIRED_AFTER(high);
};
void mix(Levels &a, Levels &b) {
  b.low.Lock();
  a.high.Lock();
  a.high.Unlock();
  b.low.Unlock();
}

// Globals, declared transitively: first before second before third.
Mutex first;
Mutex second ACQUIRED_AFTER(first);
Mutex third ACQUIRED_AFTER(second);

void takeFirst() {
  first.Lock();
  first.Unlock();
}
void declaredOrder() {
  first.Lock();
  second.Lock();
  third.Lock();
  third.Unlock();
  second.Unlock();
  first.Unlock();
}
void againstThroughCallee() {
  third.Lock();
  // CHECK: declared-order.cpp:[[@LINE+1]]:3: warning: call to 'takeFirst' acquires lock 'first' while holding 'third', against the declared order ('first' before 'third')
  takeFirst();
  // CHECK: declared-order.cpp:[[@LINE-3]]:9: note: lock 'third' acquired here
  // CHECK: declared-order.cpp:[[@LINE-16]]:9: note: 'takeFirst' acquires 'first' here
  // CHECK: declared-order.cpp:[[@LINE-21]]:14: note: the order is declared here
  third.Unlock();
}
