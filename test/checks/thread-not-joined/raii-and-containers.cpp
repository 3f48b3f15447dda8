// RUN: not %concur --quiet --checks=-*,concur-thread-not-joined %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-thread-not-joined %s -- %std
//
// Containers of threads, and threads handed to RAII joiners, scope guards
// and helpers: concur follows them through the destructor and function
// summaries.
#include <functional>
#include <thread>
#include <utility>
#include <vector>

bool ready(int);
void work(int);

// An RAII joiner: its destructor joins the thread it was given.
class ThreadJoiner {
public:
  explicit ThreadJoiner(std::thread &t) : t_(t) {}
  ~ThreadJoiner() {
    if (t_.joinable())
      t_.join();
  }

private:
  std::thread &t_;
};

// Holds a thread by reference but never joins it.
class ThreadLogger {
public:
  explicit ThreadLogger(std::thread &t) : t_(t) {}
  ~ThreadLogger() { log(); }

private:
  void log();
  std::thread &t_;
};

template <typename F> class ScopeExit {
public:
  explicit ScopeExit(F f) : f_(std::move(f)) {}
  ~ScopeExit() { f_(); }

private:
  F f_;
};

void joinAll(std::vector<std::thread> &threads) {
  for (std::thread &t : threads)
    t.join();
}

void inspect(const std::vector<std::thread> &threads);

void joinerOnEveryPath(int n) {
  std::thread t(work, n);
  ThreadJoiner joiner(t);
  if (!ready(n))
    return;
  work(n);
}

void scopeGuard(int n) {
  std::thread t(work, n);
  ScopeExit guard([&] { t.join(); });
  if (!ready(n))
    return;
}

void loggerDoesNotJoin(int n) {
  std::thread t(work, n);
  ThreadLogger logger(t);
  // CHECK: raii-and-containers.cpp:[[@LINE+1]]:1: warning: std::thread 't' is still joinable when it goes out of scope here
}

void poolJoinedInLoop(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back(work, i);
  for (auto &w : workers)
    w.join();
}

void poolJoinedByIndex(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.push_back(std::thread(work, i));
  for (size_t i = 0; i < workers.size(); ++i)
    if (workers[i].joinable())
      workers[i].join();
}

void poolJoinedByHelper(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back(work, i);
  joinAll(workers);
}

void poolEarlyReturn(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back(work, i);
  if (!ready(n))
    // CHECK: raii-and-containers.cpp:[[@LINE+1]]:5: warning: 'workers' holds a std::thread that may still be joinable when the function returns here: destroying a joinable std::thread calls std::terminate [concur-thread-not-joined]
    return;
  // CHECK: raii-and-containers.cpp:[[@LINE-4]]:13: note: a thread is added to 'workers' here
  // CHECK: raii-and-containers.cpp:[[@LINE-7]]:28: note: 'workers' is not joined or detached on this path
  for (auto &w : workers)
    w.join();
}

void poolOnlyInspected(int n) {
  std::vector<std::thread> workers;
  workers.emplace_back(work, n);
  inspect(workers);
  // CHECK: raii-and-containers.cpp:[[@LINE+1]]:1: warning: 'workers' holds a std::thread that is still joinable when it goes out of scope here
}

void poolJoinedWithForEach(int n) {
  std::vector<std::thread> workers;
  workers.emplace_back(work, n);
  std::for_each(workers.begin(), workers.end(), [](std::thread &t) { t.join(); });
}

void poolDetached(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back(work, i);
  for (auto &w : workers)
    w.detach();
}

std::vector<std::thread> poolReturned(int n) {
  std::vector<std::thread> workers;
  workers.emplace_back(work, n);
  return workers;
}

void unknownHelper(std::thread &t);

void handedToUnknownHelper(int n) {
  std::thread t(work, n);
  unknownHelper(t);
}
