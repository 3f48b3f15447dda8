#include <chrono>
#include <mutex>
#include <thread>

std::mutex Mu;

void wait() {
  std::lock_guard<std::mutex> Guard(Mu);
  /* é€😀 */ std::this_thread::sleep_for(std::chrono::milliseconds(1));
}
