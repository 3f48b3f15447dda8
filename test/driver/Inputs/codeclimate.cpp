#include <mutex>
#include <unistd.h>

std::mutex mu;

void first() {
  std::lock_guard<std::mutex> lock(mu);
  sleep(1);
}

void accepted() {
  std::lock_guard<std::mutex> lock(mu);
  sleep(1); // NOLINT(concur-lock-across-blocking-call)
}

void second() {
  std::lock_guard<std::mutex> lock(mu);
  usleep(10);
}
