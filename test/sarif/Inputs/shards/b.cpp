#include "shared.h"

void b() {
  std::lock_guard<std::mutex> lock(shared_mu);
  usleep(2);
}
