#include "store.h"

void Store::emit() {
  std::lock_guard<std::mutex> c(emit_mu_);
  std::lock_guard<std::mutex> a(ingest_mu_);
}
