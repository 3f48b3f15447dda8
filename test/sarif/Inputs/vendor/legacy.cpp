#include <mutex>
#include <unistd.h>

std::mutex legacy_mu;

void legacyPoll() {
  std::lock_guard<std::mutex> lock(legacy_mu);
  usleep(100);
}
