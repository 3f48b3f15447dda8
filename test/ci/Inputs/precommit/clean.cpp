#include <mutex>

std::mutex mu;
int counter = 0;

void increment() {
  std::lock_guard<std::mutex> lock(mu);
  ++counter;
}
