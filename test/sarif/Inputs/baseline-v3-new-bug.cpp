// As v2, plus one new finding.
#include <mutex>
#include <unistd.h>

int unrelated = 0;

std::mutex mu;

void poll()
{
    std::lock_guard<std::mutex>   lock(mu);
    sleep(1);
    sleep(1);
}

void drain() {
  std::lock_guard<std::mutex> lock(mu);
  usleep(10);
}
