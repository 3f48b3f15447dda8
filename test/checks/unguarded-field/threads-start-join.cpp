// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// Happens-before from thread start and join: in the function that starts
// the threads, accesses before the first start and after the last join
// do not race with them.
#include <mutex>
#include <thread>
#include <vector>

class Crawler {
  std::mutex mu_;
  std::vector<int> found_;
  int pages_ = 0;

public:
  void run(int n) {
    found_.clear();  // near miss: before the threads start
    pages_ = n;      // near miss
    std::thread a([this] { crawl(); });
    std::thread b([this] { crawl(); });
    // CHECK: threads-start-join.cpp:[[@LINE+1]]:9: note: field 'pages_' is read without holding 'mu_'
    if (pages_ > 100) {
    }
    a.join();
    b.join();
    pages_ = 0;                 // near miss: after both joins
    (void)found_.size();        // near miss
  }
  void crawl() {
    std::lock_guard<std::mutex> g(mu_);
    found_.push_back(1);
    --pages_;
  }
};

// A thread started in a loop: an access before it in the loop body runs
// after the previous iteration's thread started.
class Spawner {
  std::mutex mu_;
  int next_ = 0;
  std::vector<std::thread> threads_;

public:
  void spawnAll() {
    for (int i = 0; i < 4; ++i) {
      // CHECK: threads-start-join.cpp:[[@LINE+1]]:7: warning: field 'next_' is written without holding 'mu_'
      next_ = i;
      threads_.emplace_back([this] {
        std::lock_guard<std::mutex> g(mu_);
        ++next_;
      });
    }
  }
};
