#include "worker.h"

class Server {
public:
  void shutdown() {
    std::lock_guard<std::mutex> g(mu_);
    worker_.stop();
  }
  void shutdownReleasing() {
    std::unique_lock<std::mutex> lk(mu_);
    worker_.stopReleasing(lk);
  }
  int load() {
    std::lock_guard<std::mutex> g(mu_);
    return worker_.size();
  }

private:
  std::mutex mu_;
  Worker worker_;
};

void run(Server &s) {
  s.shutdown();
  s.shutdownReleasing();
  s.load();
}
