// RUN: not %concur --quiet --checks=-*,concur-thread-not-joined %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-thread-not-joined %s -- %std
//
// A local std::thread that reaches its destructor while joinable: an early
// return, a throw, or the end of its scope on some path.
#include <stdexcept>
#include <thread>
#include <utility>

bool ready(int);
void work(int);

void earlyReturn(int n) {
  std::thread t(work, n);
  if (!ready(n))
    return;
  // CHECK: locals.cpp:[[@LINE-1]]:5: warning: std::thread 't' is still joinable when the function returns here: destroying a joinable std::thread calls std::terminate [concur-thread-not-joined]
  // CHECK: locals.cpp:[[@LINE-4]]:15: note: 't' is started here, and not joined or detached on this path; join it on every path (or use std::jthread)
  t.join();
}

void throwBeforeJoin(int n) {
  std::thread t([n] { work(n); });
  if (n < 0)
    // CHECK: locals.cpp:[[@LINE+1]]:5: warning: std::thread 't' is still joinable when the exception thrown here leaves the function: destroying a joinable std::thread calls std::terminate [concur-thread-not-joined]
    throw std::invalid_argument("negative");
  // CHECK: locals.cpp:[[@LINE-4]]:15: note: 't' is started here
  t.join();
}

void joinedOnOneBranch(int n) {
  std::thread t(work, n);
  if (ready(n))
    t.join();
  // CHECK: locals.cpp:[[@LINE+1]]:1: warning: std::thread 't' may still be joinable when it goes out of scope here: destroying a joinable std::thread calls std::terminate [concur-thread-not-joined]
}
// CHECK: locals.cpp:[[@LINE-5]]:15: note: 't' is started here

void neverJoined(int n) {
  std::thread t(work, n);
  work(n + 1);
  // CHECK: locals.cpp:[[@LINE+1]]:1: warning: std::thread 't' is still joinable when it goes out of scope here
}

void assignedLater(int n) {
  std::thread t;
  if (ready(n))
    t = std::thread(work, n);
  // CHECK: locals.cpp:[[@LINE+1]]:1: warning: std::thread 't' may still be joinable when it goes out of scope here
}
// CHECK: locals.cpp:[[@LINE-3]]:7: note: the thread of 't' is started here
// CHECK: locals.cpp:[[@LINE-6]]:15: note: 't' is not joined or detached on this path

void movedIntoAnother(int n) {
  std::thread t(work, n);
  std::thread u = std::move(t);
  // CHECK: locals.cpp:[[@LINE+1]]:1: warning: std::thread 'u' is still joinable when it goes out of scope here
}
// CHECK: locals.cpp:[[@LINE-4]]:15: note: the thread of 'u' is started here
// CHECK: locals.cpp:[[@LINE-4]]:15: note: 'u' is not joined or detached on this path

void innerScope(int n) {
  for (int i = 0; i < n; ++i) {
    std::thread t(work, i);
    if (i == 3)
      // CHECK: locals.cpp:[[@LINE+1]]:7: warning: std::thread 't' is still joinable when control leaves its scope here
      break;
    t.join();
  }
}

// Near misses: joined or detached on every path, moved away, jthread.

void joinedOnEveryPath(int n) {
  std::thread t(work, n);
  if (!ready(n)) {
    t.join();
    return;
  }
  t.join();
}

void detached(int n) {
  std::thread t(work, n);
  t.detach();
  if (!ready(n))
    return;
}

void joinableChecked(int n) {
  std::thread t;
  if (ready(n))
    t = std::thread(work, n);
  if (t.joinable())
    t.join();
}

void notJoinableEarly(int n) {
  std::thread t(work, n);
  if (!t.joinable())
    return;
  t.join();
}

std::thread returned(int n) {
  std::thread t(work, n);
  return t;
}

void handedOn(int n, std::thread &out) {
  std::thread t(work, n);
  out = std::move(t);
}

void jthreadJoinsItself(int n) {
  std::jthread t(work, n);
  if (!ready(n))
    return;
}

void neverStarted(int n) {
  std::thread t;
  if (!ready(n))
    return;
}

void catchesItsOwnThrow(int n) {
  std::thread t(work, n);
  try {
    if (n < 0)
      throw std::invalid_argument("negative");
  } catch (...) {
  }
  t.join();
}

void joinedAfterMoveBack(int n) {
  std::thread t(work, n);
  std::thread u = std::move(t);
  u.join();
}
