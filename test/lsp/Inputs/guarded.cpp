#include <chrono>
#include <mutex>
#include <thread>

std::mutex Mu;

void work() {
  std::unique_lock<std::mutex> Lock(Mu);
#ifdef SLEEP_UNDER_LOCK
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
#endif
  Lock.unlock();
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}
