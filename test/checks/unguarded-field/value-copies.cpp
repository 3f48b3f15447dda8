// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note: field"
// RUN: not %concur --quiet --checks=-*,concur-unguarded-field --dump-guards %s -- %std | FileCheck %s --check-prefix=GUARDS
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// A class that copies another object's fields without taking a lock says
// its objects are values, each used by one thread: the lock it holds in
// some methods serialises those operations, not its fields (Poco's
// Data::Statement locks `_mutex` in execute() and reads `_pResult` in
// wait() unlocked). A class that copies under the other's lock is shared.
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

struct Result {
  int wait() const { return 0; }
};

// Near miss: a value type. Its copy constructor reads `other`'s fields
// with no lock, so `results_` and `args_` are each owned by one thread.
class Query {
public:
  Query() = default;
  Query(const Query &other);
  Query &operator=(Query other) {
    swap(other);
    return *this;
  }
  void swap(Query &other) {
    std::swap(results_, other.results_);
    args_.swap(other.args_);
  }
  void bind(int v) { args_.push_back(v); }
  void run() {
    std::lock_guard<std::mutex> g(mu_);
    results_ = std::make_shared<Result>();
    args_.clear();
  }
  int wait() { return results_ ? results_->wait() : 0; }

private:
  std::shared_ptr<Result> results_;
  std::vector<int> args_;
  std::mutex mu_;
};

Query::Query(const Query &other)
    : results_(other.results_), args_(other.args_) {}

// Reported: a thread-safe class copies under the other object's lock.
class Registry {
public:
  Registry() = default;
  Registry(const Registry &other) {
    std::lock_guard<std::mutex> g(other.mu_);
    names_ = other.names_;
  }
  void add(const std::string &n) {
    std::lock_guard<std::mutex> g(mu_);
    names_.push_back(n);
  }
  // CHECK: value-copies.cpp:[[@LINE+1]]:37: warning: field 'names_' is read without holding 'mu_'
  std::size_t size() const { return names_.size(); }

private:
  std::vector<std::string> names_;
  mutable std::mutex mu_;
};

// Reported: the copy reads `count_` without a lock but not `label_`, so
// only `count_` is a value's; `label_` stays guarded.
class Gauge {
public:
  Gauge() = default;
  Gauge(const Gauge &other) : count_(other.count_) {}
  void set(int c, const std::string &l) {
    std::lock_guard<std::mutex> g(mu_);
    count_ = c;
    label_ = l;
  }
  int count() const { return count_; }
  // CHECK: value-copies.cpp:[[@LINE+1]]:38: warning: field 'label_' is read without holding 'mu_'
  std::string label() const { return label_; }

private:
  int count_ = 0;
  std::string label_;
  mutable std::mutex mu_;
};

// Reported: a class that writes no copy operation says nothing (with a
// std::mutex member, its own are deleted).
class Cache {
public:
  void put(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v);
  }
  // CHECK: value-copies.cpp:[[@LINE+1]]:31: warning: field 'items_' is read without holding 'mu_'
  std::size_t size() { return items_.size(); }

private:
  std::vector<int> items_;
  std::mutex mu_;
};

// GUARDS-DAG: guard: 'Query::results_' none {{.*}}copied without a lock by 'Query::{{Query|swap}}' at value-copies.cpp:{{50|32}}: a value
// GUARDS-DAG: guard: 'Gauge::count_' none {{.*}}copied without a lock by 'Gauge::Gauge' at value-copies.cpp:77
// GUARDS-DAG: guard: 'Gauge::label_' {'mu_' (member)} (inferred)
// GUARDS-DAG: guard: 'Registry::names_' {'mu_' (member)} (inferred)
