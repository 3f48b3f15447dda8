#include <chrono>
#include <mutex>
#include <thread>

namespace app {
void waitForReply();
}

class Cache {
public:
  void put(int V) {
    std::lock_guard<std::mutex> Lock(Mu);
    Value = V;
    app::waitForReply(); // blocking only by the project's rules file
  }
  void refresh() {
    std::lock_guard<std::mutex> Lock(Mu);
    Value = 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void bump() {
    std::lock_guard<std::mutex> Lock(Mu);
    ++Value;
  }
  // A race concur-unguarded-field reports, which the configuration disables.
  int peek() const { return Value; }

private:
  mutable std::mutex Mu;
  int Value = 0;
};
