#include "db.h"

DB::DB() { pending_ = 0; }

void DB::Write(int v) {
  std::lock_guard<std::mutex> l(mu_);
  pending_ += v;
  log_.push_back(std::to_string(v));
}

void DB::WriteMore(int v) {
  std::lock_guard<std::mutex> l(mu_);
  pending_ += 2 * v;
  compactions_++;
}

void DB::Append(const std::string &s) {
  std::lock_guard<std::mutex> l(mu_);
  log_.push_back(s);
}

// This file sees log_ written under mu_ and here without it: it reports
// this access itself, and the link does not report it again.
void DB::Drain() { log_.clear(); }
