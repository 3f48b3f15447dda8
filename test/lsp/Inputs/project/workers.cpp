#include <chrono>
#include <mutex>
#include <thread>
#include "shared.h"

std::mutex Mu;
int Counter = 0;

void sleepUnderLock() {
  std::lock_guard<std::mutex> Guard(Mu);
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

void unlockFirst() {
  std::unique_lock<std::mutex> Lock(Mu);
  ++Counter;
  Lock.unlock();
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
}
