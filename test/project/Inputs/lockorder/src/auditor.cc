#include "store.h"

void Store::audit() {
  std::lock_guard<std::mutex> log(log_mu_);
  std::lock_guard<std::mutex> data(data_mu_);
}

void Store::compactB() {
  std::lock_guard<std::mutex> outer(compact_mu_);
  std::lock_guard<std::mutex> b(meta_mu_);
  std::lock_guard<std::mutex> a(index_mu_);
}

void Store::sameOrderB() {
  std::lock_guard<std::mutex> a(cache_mu_);
  std::lock_guard<std::mutex> b(stats_mu_);
}

void Store::tryAudit() {
  std::lock_guard<std::mutex> b(stats_mu_);
  std::unique_lock<std::mutex> a(cache_mu_, std::try_to_lock);
}

void reloadConfig() {
  std::lock_guard<std::mutex> c(config_mu);
  std::lock_guard<std::mutex> r(registry_mu);
}

void localsB() {
  std::mutex first, second;
  std::lock_guard<std::mutex> b(second);
  std::lock_guard<std::mutex> a(first);
}

void Store::parse() {
  std::lock_guard<std::mutex> b(parse_mu_);
  std::lock_guard<std::mutex> c(emit_mu_);
}
