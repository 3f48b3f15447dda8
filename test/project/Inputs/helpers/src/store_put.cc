#include "store.h"

Store::Store() { seedLocked(); }

void Store::Put(int v) {
  std::lock_guard<std::mutex> l(mu_);
  items_.reserve(items_.size() + 1);
  applyLocked(v);
}

void Store::Compact() {
  std::lock_guard<std::mutex> l(mu_);
  sweepLocked();
  spare_.shrink_to_fit();
}
