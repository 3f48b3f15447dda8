// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// NOLINT comments suppress findings in the driver as in clang-tidy.
#include <mutex>
#include <unistd.h>

std::mutex mu;

void suppressed() {
  std::lock_guard<std::mutex> g(mu);
  sleep(1); // NOLINT
  sleep(2); // NOLINT(concur-lock-across-blocking-call)
  sleep(3); // NOLINT(concur-*)
  // NOLINTNEXTLINE(concur-lock-across-blocking-call)
  sleep(4);
  // NOLINTBEGIN(concur-*)
  sleep(5);
  sleep(6);
  // NOLINTEND(concur-*)
  // CHECK: nolint.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(7); // NOLINT(bugprone-*): names another check
  // CHECK: nolint.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(8); // NOLINTNEXTLINE on the same line does not count
}
