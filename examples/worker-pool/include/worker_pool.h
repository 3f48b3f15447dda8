// A small thread pool: a task queue guarded by a mutex, workers that wait on
// a condition variable, and a shutdown that joins them.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

class WorkerPool {
public:
  explicit WorkerPool(unsigned workers);
  ~WorkerPool();

  void submit(std::function<void()> task);
  /// Waits until the queue is empty.
  void drain();
  void shutdown();
  size_t pending() const;

private:
  void workerLoop();

  mutable std::mutex mu_;
  std::condition_variable work_ready_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> workers_;
  unsigned busy_ = 0;
  bool stopping_ = false;
};
