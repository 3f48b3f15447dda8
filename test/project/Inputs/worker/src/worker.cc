#include "worker.h"

void Worker::start() { thread_ = std::thread([] {}); }

static void finish(std::thread &t) {
  if (t.joinable())
    t.join();
}

void Worker::stop() { finish(thread_); }

void Worker::stopReleasing(std::unique_lock<std::mutex> &lk) {
  lk.unlock();
  finish(thread_);
}

int Worker::size() const { return size_; }

Worker::~Worker() { stop(); }
