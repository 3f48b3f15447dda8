#include <mutex>
#include <unistd.h>

std::mutex mu;

void inSource() {
  std::lock_guard<std::mutex> lock(mu);
  sleep(1); // NOLINT(concur-lock-across-blocking-call)
  // NOLINTNEXTLINE(concur-*)
  sleep(2);
  // NOLINTBEGIN(concur-lock-across-blocking-call)
  sleep(3);
  // NOLINTEND(concur-lock-across-blocking-call)
  sleep(4); // NOLINT(some-other-check): not concur's, still reported
}
