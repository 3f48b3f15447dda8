#pragma once
#include <mutex>
#include <thread>

inline void joinUnderLock(std::mutex &Mu, std::thread &T) {
  std::unique_lock<std::mutex> L(Mu);
  T.join();
}
