#include "db.h"

// Near miss: another file, the lock held.
void DB::Compact() {
  std::lock_guard<std::mutex> l(mu_);
  compactions_++;
  pending_ = 0;
  epoch_ = 1;
}
