#include "waits.h"
#include <chrono>
#include <thread>

void waitOn(std::condition_variable &cv, std::unique_lock<std::mutex> &lk) {
  cv.wait(lk);
}

void Box::waitReady() {
  while (!ready)
    cv.wait(mu);
}

void sleepABit() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }

std::mutex drain_mu;

void pong(int n) {
  if (n > 0)
    ping(n - 1);
}

void tock(int n) {
  if (n > 0)
    tick(n - 1);
  sleepABit();
}
