// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note: field"
// RUN: %expect_exit 1 %concur --quiet --checks=-*,concur-unguarded-field --sarif=%t.sarif %s -- %std
// RUN: FileCheck %s --check-prefix=SARIF < %t.sarif
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// A finding's level is its consequence. A write, or a read that follows a
// pointer or copies a container, can corrupt or use freed memory: a
// warning. A read that can only be stale is a note: a scalar, or a pointer
// only tested for null (RocksDB tests `if (tracer_)` unlocked, then takes
// trace_mutex_ and tests again before it calls through tracer_).
#include <memory>
#include <mutex>
#include <string>

struct Tracer {
  void record(int) {}
};

class Db {
public:
  void startTrace() {
    std::lock_guard<std::mutex> g(mu_);
    tracer_ = std::make_unique<Tracer>();
    raw_ = new Tracer;
    name_ = "trace";
    count_ = 1;
  }
  void endTrace() {
    std::lock_guard<std::mutex> g(mu_);
    tracer_.reset();
    raw_ = nullptr;
    name_.clear();
    count_ = 0;
  }
  void get(int key) {
    if (tracer_) {
      // CHECK: levels.cpp:[[@LINE-1]]:9: note: field 'tracer_' is read without holding 'mu_'
      std::lock_guard<std::mutex> g(mu_);
      if (tracer_)
        tracer_->record(key);
    }
    if (raw_ != nullptr && !raw_) {
      // CHECK: levels.cpp:[[@LINE-1]]:9: note: field 'raw_' is read without holding 'mu_'
      // CHECK: levels.cpp:[[@LINE-2]]:29: note: field 'raw_' is read without holding 'mu_'
    }
  }
  // Warnings: the pointer is followed, the string copied.
  void put(int key) {
    tracer_->record(key);
    // CHECK: levels.cpp:[[@LINE-1]]:5: warning: field 'tracer_' is read without holding 'mu_'
    Tracer *t = raw_;
    // CHECK: levels.cpp:[[@LINE-1]]:17: warning: field 'raw_' is read without holding 'mu_'
    t->record(key);
  }
  std::string name() const { return name_; }
  // CHECK: levels.cpp:[[@LINE-1]]:37: warning: field 'name_' is read without holding 'mu_'
  // A scalar read: a note.
  int count() const { return count_; }
  // CHECK: levels.cpp:[[@LINE-1]]:30: note: field 'count_' is read without holding 'mu_'
  // SARIF: "level": "note"

private:
  mutable std::mutex mu_;
  std::unique_ptr<Tracer> tracer_;
  Tracer *raw_ = nullptr;
  std::string name_;
  int count_ = 0;
};

int main() {}
