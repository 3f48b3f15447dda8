#pragma once
#include <mutex>
#include <thread>

// The bodies are in src/worker.cc: no other file sees that they block.
class Worker {
public:
  void start();
  // Waits for the thread to finish.
  void stop();
  // Gives the caller's lock back before it waits.
  void stopReleasing(std::unique_lock<std::mutex> &lk);
  // Does not block.
  int size() const;

private:
  std::thread thread_;
  int size_ = 0;

public:
  // Joins the thread if stop() did not (a joinable std::thread member would
  // call std::terminate).
  ~Worker();
};
