// RUN: not %concur --quiet --checks='-*,concur-atomic-check-then-act' %s -- %std -isystem %S/../../Inputs/mock | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std -isystem %S/../../Inputs/mock
//
// The same shapes on boost::atomic, C11 _Atomic variables and the GCC
// __atomic builtins.
#include <boost/atomic.hpp>

void work();

boost::atomic<int> sessions(0);
_Atomic(int) pending;
int raw;

void openSession() {
  // CHECK: [[@LINE+2]]:12: warning: this store to 'sessions' writes a value computed
  // CHECK: [[@LINE+1]]:27: note: 'sessions' is loaded here
  sessions.store(sessions.load() + 1);
}

void closeSession() {
  if (sessions == 1)
    // CHECK: [[@LINE+1]]:14: warning: this store to 'sessions' is decided
    sessions = 0;
  work();
}

void enqueue() {
  // CHECK: [[@LINE+1]]:11: warning: this store to 'pending' writes a value computed
  pending = pending + 1;
}

void dequeue() {
  int n = __atomic_load_n(&raw, __ATOMIC_ACQUIRE);
  if (n > 0)
    // CHECK: [[@LINE+1]]:5: warning: this store to 'raw' writes a value computed
    __atomic_store_n(&raw, n - 1, __ATOMIC_RELEASE);
}

// ---- near misses ----
void silent() {
  sessions.fetch_add(1);
  pending += 1;
  ++pending;
  __atomic_fetch_add(&raw, 1, __ATOMIC_RELAXED);
  int e = __atomic_load_n(&raw, __ATOMIC_RELAXED);
  while (!__atomic_compare_exchange_n(&raw, &e, e * 2, false, __ATOMIC_ACQ_REL,
                                      __ATOMIC_RELAXED)) {
  }
  int s = sessions.load();
  while (!sessions.compare_exchange_strong(s, s + 2)) {
  }
  pending = 0; // a reset
}
