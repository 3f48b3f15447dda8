#include "slot.h"

std::mutex probe_mu;

// Compares two slots under a lock of its own.
bool same(const Slot<int> &a, const Slot<int> &b) {
  std::lock_guard<std::mutex> l(probe_mu);
  return a.sameAs(b);
}
