#include "worker_pool.h"

WorkerPool::WorkerPool(unsigned workers) {
  for (unsigned i = 0; i < workers; ++i)
    workers_.emplace_back([this] { workerLoop(); });
}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::submit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(task));
  }
  work_ready_.notify_one();
}

void WorkerPool::workerLoop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      // Correct: the wait releases mu_, and the predicate runs under it.
      work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty())
        return;
      task = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    task(); // Correct: the task runs without the lock.
    {
      std::lock_guard<std::mutex> lock(mu_);
      --busy_;
      if (queue_.empty() && busy_ == 0)
        idle_.notify_all();
    }
  }
}

void WorkerPool::drain() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return queue_.empty() && busy_ == 0; });
}

size_t WorkerPool::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void WorkerPool::shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = true;
  work_ready_.notify_all();
  // BUG: joining while holding mu_. A worker that finishes its task needs
  // mu_ to decrement busy_, so join() waits for a thread that waits for us.
  for (std::thread &t : workers_)
    if (t.joinable())
      t.join();
  workers_.clear();
}
