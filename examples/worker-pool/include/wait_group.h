// Go's sync.WaitGroup, as many C++ code bases write it: Add before starting
// a task, Done when it finishes, Wait until every task has finished.
#pragma once
#include <condition_variable>
#include <mutex>

class WaitGroup {
public:
  void Add(int n = 1) {
    std::lock_guard<std::mutex> lock(mu_);
    count_ += n;
  }
  void Done() {
    std::lock_guard<std::mutex> lock(mu_);
    if (--count_ == 0)
      cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return count_ == 0; });
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};
