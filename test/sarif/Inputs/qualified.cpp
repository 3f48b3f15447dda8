#include <chrono>
#include <mutex>
#include <thread>

std::mutex mu;
int items[4];

void nap() {
  std::lock_guard<std::mutex> g(mu);
  std::this_thread::sleep_for(std::chrono::milliseconds(items[0]));
}
