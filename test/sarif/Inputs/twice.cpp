#include <mutex>
#include <unistd.h>

std::mutex mu;

// Identical lines: the same line hash, told apart by its occurrence.
void repeated() {
  mu.lock();
  sleep(1);
  sleep(1);
  sleep(1);
  sleep(1);
  sleep(1);
  sleep(1);
  sleep(1);
  sleep(1);
  sleep(1);
  sleep(1);
  sleep(1);
  sleep(1);
  sleep(1);
  sleep(1);
  mu.unlock();
}
