#pragma once
#include <mutex>

class Counter {
public:
  void add() {
    std::lock_guard<std::mutex> g(mu_);
    ++n_;
  }
  int peek() { return n_; } // unguarded read
  void reset();

private:
  std::mutex mu_;
  int n_ = 0;
};
