// RUN: not %concur --quiet --checks=-*,concur-stop-ignored %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-stop-ignored %s -- %std
//
// A thread body's endless loop with no way out at all, while its class has
// a stop flag (a member that stop(), shutdown() or the destructor sets) that
// the loop never reads: the stop is lost and the join blocks forever.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

void step();
bool busy();

// The member function run by the thread ignores the flag stop() sets.
class Poller {
public:
  void start() { thread_ = std::thread(&Poller::run, this); }
  void stop() {
    stopping_ = true;
    thread_.join();
  }

private:
  void run() {
    for (;;) {
      // CHECK: flag.cpp:[[@LINE-1]]:5: warning: this loop on a thread has no way out and never reads the stop flag 'stopping_': 'Poller::stop' cannot end it, and a join that waits for the thread blocks forever [concur-stop-ignored]
      // CHECK: flag.cpp:[[@LINE-10]]:28: note: the thread is started here
      // CHECK: flag.cpp:[[@LINE-9]]:5: note: 'stopping_' is set here, in 'Poller::stop'; test it in the loop's condition or leave the loop when it is set
      step();
    }
  }
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// A lambda that calls the loop's member function; the destructor sets the
// flag through a helper named like a shutdown.
class Pump {
public:
  Pump() : thread_([this] { loop(); }) {}
  ~Pump() { shutdown(); }

private:
  void shutdown() {
    running_.store(false);
    thread_.join();
  }
  void loop() {
    while (true) {
      // CHECK: flag.cpp:[[@LINE-1]]:5: warning: this loop on a thread has no way out and never reads the stop flag 'running_': 'Pump::shutdown' cannot end it
      // CHECK: flag.cpp:[[@LINE-11]]:12: note: the thread is started here
      // CHECK: flag.cpp:[[@LINE-7]]:5: note: 'running_' is set here, in 'Pump::shutdown'
      if (busy())
        step();
    }
  }
  std::atomic<bool> running_{true};
  std::thread thread_;
};

// The loop written in the lambda; a plain bool set by the destructor.
class Ticker {
public:
  void start() {
    thread_ = std::thread([this] {
      while (1)
        // CHECK: flag.cpp:[[@LINE-1]]:7: warning: this loop on a thread has no way out and never reads the stop flag 'done_': 'Ticker::~Ticker' cannot end it
        // CHECK: flag.cpp:[[@LINE-3]]:15: note: the thread is started here
        // CHECK: flag.cpp:[[@LINE+5]]:5: note: 'done_' is set here, in 'Ticker::~Ticker'
        ++ticks_;
    });
  }
  ~Ticker() {
    done_ = true;
    thread_.join();
  }

private:
  bool done_ = false;
  long ticks_ = 0;
  std::thread thread_;
};

// Near misses.

// The loop tests the flag in its condition.
class TestsFlag {
public:
  void start() { thread_ = std::thread(&TestsFlag::run, this); }
  void stop() {
    stop_ = true;
    thread_.join();
  }

private:
  void run() {
    while (!stop_)
      step();
  }
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The flag is read through a member function of the same class, and the
// loop leaves by a return.
class ReadsThroughHelper {
public:
  void start() { thread_ = std::thread([this] { run(); }); }
  void stop() {
    quit_ = true;
    thread_.join();
  }

private:
  bool quitting() const { return quit_; }
  void run() {
    for (;;) {
      if (quitting())
        return;
      step();
    }
  }
  std::atomic<bool> quit_{false};
  std::thread thread_;
};

// A queue's sentinel ends the loop: an exit edge, whatever the flag.
class Consumer {
public:
  void start() { thread_ = std::thread(&Consumer::run, this); }
  void stop() {
    closed_ = true;
    {
      std::lock_guard<std::mutex> lock(mu_);
      items_.push_back(-1);
    }
    ready_.notify_one();
    thread_.join();
  }

private:
  void run() {
    for (;;) {
      std::unique_lock<std::mutex> lock(mu_);
      ready_.wait(lock, [this] { return !items_.empty(); });
      int item = items_.front();
      items_.pop_front();
      if (item < 0)
        break;
    }
  }
  std::atomic<bool> closed_{false};
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<int> items_;
  std::thread thread_;
};

// The wait's predicate reads the flag.
class WaitsOnFlag {
public:
  void start() { thread_ = std::thread(&WaitsOnFlag::run, this); }
  ~WaitsOnFlag() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      exit_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

private:
  void run() {
    for (;;) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return exit_; });
      step();
    }
  }
  bool exit_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
};

// A bounded loop.
class Bounded {
public:
  void start() { thread_ = std::thread(&Bounded::run, this); }
  void stop() {
    stop_ = true;
    thread_.join();
  }

private:
  void run() {
    for (int i = 0; i < 100; ++i)
      step();
  }
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A callee that throws leaves the loop through the handler.
class Catches {
public:
  void start() { thread_ = std::thread(&Catches::run, this); }
  void stop() {
    stop_ = true;
    thread_.join();
  }

private:
  void run() {
    try {
      for (;;)
        step();
    } catch (...) {
    }
  }
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// No stop flag: a thread meant to live as long as the process.
class Daemon {
public:
  void start() { std::thread(&Daemon::run, this).detach(); }

private:
  void run() {
    for (;;)
      step();
  }
  int count_ = 0;
};

// Not run on a thread.
class NotSpawned {
public:
  void stop() { stop_ = true; }
  void run() {
    for (;;)
      step();
  }

private:
  std::atomic<bool> stop_{false};
};
