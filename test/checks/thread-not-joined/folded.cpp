// RUN: not %concur --quiet --checks=-*,concur-thread-not-joined %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-thread-not-joined %s -- %std
//
// A test whose every assertion returns early between a thread's start and
// its join (gtest's ASSERT_* do; written out here, as the clang-tidy front
// end adds notes for macro expansions): one finding per thread, at the
// first way out, with the others as notes.
#include <thread>

bool put(int);
bool flush();

void testWithAsserts() {
  std::thread writer([] { put(2); });
  if (!put(1))
    return;
  // CHECK: folded.cpp:[[@LINE-1]]:5: warning: std::thread 'writer' is still joinable when the function returns here: destroying a joinable std::thread calls std::terminate [concur-thread-not-joined]
  // CHECK: folded.cpp:[[@LINE-4]]:15: note: 'writer' is started here
  if (!flush())
    return;
  // CHECK: folded.cpp:[[@LINE-1]]:5: note: 'writer' may also be dropped joinable here
  if (!put(3))
    return;
  // CHECK: folded.cpp:[[@LINE-1]]:5: note: 'writer' may also be dropped joinable here
  writer.join();
}

// Two threads dropped at the same return: one finding, the other thread
// as a note.
void twoThreads() {
  std::thread a([] { put(1); });
  std::thread b([] { put(2); });
  if (!flush())
    return;
  // CHECK: folded.cpp:[[@LINE-1]]:5: warning: std::thread 'b' is still joinable
  // CHECK: folded.cpp:[[@LINE-4]]:15: note: 'b' is started here
  // CHECK: folded.cpp:[[@LINE-6]]:15: note: 'a' is also still joinable there; it is started here
  a.join();
  b.join();
}
