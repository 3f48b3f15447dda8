// RUN: not %concur --quiet --checks=-*,concur-detached-capture %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-detached-capture %s -- %std
//
// Callables handed to a spawn point the rules mark "deferred" (a thread
// pool's submit / post / enqueue): the pool runs them later, after the
// spawner may have returned.
#include <functional>
#include <future>
#include <string>

namespace app {
class ThreadPool {
public:
  template <typename F> void post(F task) { queue(std::function<void()>(task)); }
  template <typename F> std::future<void> submit(F task) {
    queue(std::function<void()>(task));
    return {};
  }

private:
  void queue(std::function<void()> task);
};
} // namespace app

void log(const std::string &);

void postsLocal(app::ThreadPool &pool) {
  std::string message = "hello";
  pool.post([&message] { log(message); });
  // CHECK: deferred.cpp:[[@LINE-1]]:15: warning: the deferred task captures 'message' by reference, a local of 'postsLocal' that can die while the task still runs: a use after its lifetime [concur-detached-capture]
  // CHECK: deferred.cpp:[[@LINE-2]]:8: note: the task is handed over here; it runs later and nothing in 'postsLocal' waits for it
}
// CHECK: deferred.cpp:[[@LINE-1]]:1: note: 'message' dies here

void submitsAndForgets(app::ThreadPool &pool, int id) {
  pool.submit([&] { log(std::to_string(id)); });
  // CHECK: deferred.cpp:[[@LINE-1]]:40: warning: the deferred task captures 'id' by reference, a parameter of 'submitsAndForgets'
}

// Near misses.

void submitsAndWaits(app::ThreadPool &pool) {
  std::string message = "hello";
  auto done = pool.submit([&] { log(message); });
  done.get();
}

void postsByValue(app::ThreadPool &pool) {
  std::string message = "hello";
  pool.post([message] { log(message); });
}

void postsMember(app::ThreadPool &pool, const std::string *text) {
  pool.post([text] { log(*text); });
}
