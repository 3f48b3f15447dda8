#include "shared.h"

void a() {
  std::lock_guard<std::mutex> lock(shared_mu);
  usleep(1);
}
