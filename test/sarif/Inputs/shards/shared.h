#pragma once
#include <mutex>
#include <unistd.h>

inline std::mutex shared_mu;

inline void sharedPoll() {
  std::lock_guard<std::mutex> lock(shared_mu);
  sleep(1);
}
