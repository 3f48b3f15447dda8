#include "db.h"

void Cache::Insert() {
  std::lock_guard<std::mutex> l(table_mu_);
  ++generation_;
}

void Cache::Evict() {
  std::lock_guard<std::mutex> l(table_mu_);
  generation_ += 2;
}
