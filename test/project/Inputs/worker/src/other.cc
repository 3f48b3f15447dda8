#include <chrono>
#include <mutex>
#include <thread>

std::mutex other_mu;

void nap() {
  std::lock_guard<std::mutex> g(other_mu);
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}
