// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// Reader locks, manual locking, and lambdas that run on other threads.
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

class Config {
  mutable std::shared_mutex mu_;
  int version_ = 0;
  std::vector<int> values_;

public:
  int version() const {
    std::shared_lock<std::shared_mutex> lk(mu_); // near miss: a read
    return version_;
  }
  void set(int v) {
    std::unique_lock<std::shared_mutex> lk(mu_);
    version_ = v;
    values_.push_back(v);
  }
  void bump() {
    std::shared_lock<std::shared_mutex> lk(mu_);
    // CHECK: shared-and-threads.cpp:[[@LINE+1]]:7: warning: field 'version_' is written while 'mu_' is held only in shared mode; 'mu_' is held at 3 of its 3 accesses (2 writes)
    ++version_;
  }
  void manual(int v) {
    mu_.lock();
    values_.push_back(v);
    mu_.unlock();
    // CHECK: shared-and-threads.cpp:[[@LINE+1]]:5: warning: field 'values_' is written without holding 'mu_'
    values_.clear();
  }
};

class Server {
  std::mutex mu_;
  bool stopping_ = false;
  int served_ = 0;
  std::thread worker_;

public:
  Server() {
    // The lambda runs on another thread: the constructor's exemption does
    // not extend to it.
    worker_ = std::thread([this] {
      // CHECK: shared-and-threads.cpp:[[@LINE+1]]:15: note: field 'stopping_' is read without holding 'mu_' in a lambda that runs on another thread; 'mu_' is held at 1 of its 2 accesses (1 write)
      while (!stopping_) {
        std::lock_guard<std::mutex> g(mu_);
        ++served_;
      }
    });
  }
  void stop() {
    std::lock_guard<std::mutex> g(mu_);
    stopping_ = true;
  }
  int served() {
    std::lock_guard<std::mutex> g(mu_);
    return served_;
  }
  void spawnReader() {
    std::thread t([this] {
      std::lock_guard<std::mutex> g(mu_);
      (void)served_; // near miss: locked inside the lambda
    });
    t.join();
  }
};

// Threads kept in a container: emplace_back constructs a std::thread from
// the lambda, which then runs on that thread.
class Pool {
  std::mutex mu_;
  int pending_ = 0;
  std::vector<std::thread> workers_;

public:
  Pool() {
    for (int i = 0; i < 2; ++i)
      workers_.emplace_back([this] {
        // CHECK: shared-and-threads.cpp:[[@LINE+1]]:13: note: field 'pending_' is read without holding 'mu_' in a lambda that runs on another thread
        if (pending_ > 0) {
          std::lock_guard<std::mutex> g(mu_);
          --pending_;
        }
      });
  }
  void post() {
    std::lock_guard<std::mutex> g(mu_);
    ++pending_;
  }
};
