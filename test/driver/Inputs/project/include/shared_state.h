#pragma once
#include <mutex>
#include <unistd.h>

// A bug in a header: every TU that includes it sees it, concur reports it once.
struct SharedState {
  std::mutex mu;
  void refresh() {
    std::lock_guard<std::mutex> g(mu);
    usleep(100);
  }
};
