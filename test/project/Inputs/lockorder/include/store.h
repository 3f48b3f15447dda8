#pragma once
#include <mutex>

extern std::mutex registry_mu;
extern std::mutex config_mu;

class Store {
public:
  void write();
  void audit();
  void compactA();
  void compactB();
  void sameOrderA();
  void sameOrderB();
  void tryAudit();
  void ingest();
  void parse();
  void emit();

private:
  std::mutex data_mu_;
  std::mutex log_mu_;
  std::mutex compact_mu_;
  std::mutex index_mu_;
  std::mutex meta_mu_;
  std::mutex cache_mu_;
  std::mutex stats_mu_;
  std::mutex ingest_mu_;
  std::mutex parse_mu_;
  std::mutex emit_mu_;
};
