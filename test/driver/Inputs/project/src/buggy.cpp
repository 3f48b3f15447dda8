#include "shared_state.h"
#include <chrono>
#include <thread>

void helper() { std::this_thread::sleep_for(std::chrono::milliseconds(5)); }

void buggy(SharedState &s) {
  std::lock_guard<std::mutex> g(s.mu);
  helper();
}
