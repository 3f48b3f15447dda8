// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// A field polled by a loop that runs on a thread, set by another method.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

void work();

class Worker {
  bool stop_ = false;
  volatile bool quit_ = false;
  int budget_ = 10;
  std::thread thread_;

public:
  Worker() { thread_ = std::thread(&Worker::run, this); }
  ~Worker() {
    // CHECK-DAG: members.cpp:[[@LINE+1]]:5: note: 'quit_' is written here, in 'Worker::~Worker', with no lock held
    quit_ = true;
    thread_.join();
  }
  void run() {
    // CHECK-DAG: members.cpp:[[@LINE+1]]:13: warning: 'stop_' decides when this loop on another thread ends, but is written elsewhere without a lock held at both: the compiler may load it once and the loop never see the write; make it 'std::atomic<bool>' [concur-nonatomic-flag]
    while (!stop_) {
      work();
      // CHECK-DAG: members.cpp:[[@LINE+1]]:11: warning: 'quit_' decides when this loop on another thread ends, but is written elsewhere without a lock held at both: 'volatile' makes every load happen but neither atomic nor ordered with the writer's other stores; make it 'std::atomic<bool>' [concur-nonatomic-flag]
      if (quit_)
        break;
      // CHECK-DAG: members.cpp:[[@LINE+1]]:11: warning: 'budget_' decides when this loop on another thread ends{{.*}}make it 'std::atomic<int>'
      if (budget_ == 0)
        return;
    }
  }
  // CHECK-DAG: members.cpp:[[@LINE+1]]:17: note: 'stop_' is written here, in 'Worker::stop', with no lock held
  void stop() { stop_ = true; }
  // CHECK-DAG: members.cpp:[[@LINE+1]]:20: note: 'budget_' is written here, in 'Worker::drain'
  void drain() { --budget_; }
  // CHECK-DAG: members.cpp:[[@LINE-22]]:24: note: the loop runs on the thread started here
};

// --- Near misses: silent. ---

// Atomic flags.
class AtomicWorker {
  std::atomic<bool> stop_{false};
  std::thread thread_;

public:
  AtomicWorker() : thread_([this] { while (!stop_) work(); }) {}
  ~AtomicWorker() {
    stop_ = true;
    thread_.join();
  }
};

// Read and write under the same lock (the loop waits on a condition
// variable under the lock that guards the flag).
class LockedWorker {
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;

public:
  LockedWorker() : thread_([this] { loop(); }) {}
  void loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_)
      cv_.wait(lock);
  }
  void stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
};

// Written only before the thread starts and after it is joined.
class Batch {
  int remaining_ = 0;
  std::thread thread_;

public:
  void start(int n) {
    remaining_ = n;
    thread_ = std::thread([this] {
      while (remaining_ > 0)
        work();
    });
    thread_.join();
    remaining_ = 0;
  }
};

// A loop not on any thread.
class Sequential {
  bool done_ = false;

public:
  void run() {
    while (!done_)
      work();
  }
  void finish() { done_ = true; }
};

// Written only by the thread itself.
class SelfStopping {
  bool done_ = false;
  std::thread thread_;

public:
  SelfStopping() : thread_([this] {
    while (!done_)
      step();
  }) {}
  void step() { done_ = true; }
};
