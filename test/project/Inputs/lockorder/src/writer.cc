#include "store.h"

std::mutex registry_mu;
std::mutex config_mu;

void Store::write() {
  std::lock_guard<std::mutex> data(data_mu_);
  std::lock_guard<std::mutex> log(log_mu_);
}

void Store::compactA() {
  std::lock_guard<std::mutex> outer(compact_mu_);
  std::lock_guard<std::mutex> a(index_mu_);
  std::lock_guard<std::mutex> b(meta_mu_);
}

void Store::sameOrderA() {
  std::lock_guard<std::mutex> a(cache_mu_);
  std::lock_guard<std::mutex> b(stats_mu_);
}

void registerConfig() {
  std::lock_guard<std::mutex> r(registry_mu);
  std::lock_guard<std::mutex> c(config_mu);
}

void localsA() {
  std::mutex first, second;
  std::lock_guard<std::mutex> a(first);
  std::lock_guard<std::mutex> b(second);
}

void Store::ingest() {
  std::lock_guard<std::mutex> a(ingest_mu_);
  std::lock_guard<std::mutex> b(parse_mu_);
}
