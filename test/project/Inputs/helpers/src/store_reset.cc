#include "store.h"

// The race: applyLocked, in another file, wants mu_.
void Store::Reset() {
  applyLocked(0);
}

size_t Store::Size() {
  std::lock_guard<std::mutex> l(mu_);
  return items_.size();
}
