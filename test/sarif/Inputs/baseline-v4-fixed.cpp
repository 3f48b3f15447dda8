// One of the two findings fixed: it comes back as "absent".
#include <mutex>
#include <unistd.h>

std::mutex mu;

void poll() {
  {
    std::lock_guard<std::mutex> lock(mu);
    sleep(1);
  }
  sleep(1);
}
