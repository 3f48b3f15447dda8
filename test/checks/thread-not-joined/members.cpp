// RUN: not %concur --quiet --checks=-*,concur-thread-not-joined %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-thread-not-joined %s -- %std
//
// A thread member that the class starts but whose destructor, and what it
// calls, never joins or detaches.
#include <atomic>
#include <thread>
#include <vector>

void work(int);

class Poller {
public:
  void start() { worker_ = std::thread([this] { poll(); }); }
  void stop() {
    done_ = true;
    worker_.join();
  }
  // CHECK: members.cpp:[[@LINE+1]]:3: warning: thread member 'worker_' of 'Poller' may still be joinable when the object is destroyed: '~Poller' never joins or detaches it, and destroying a joinable std::thread calls std::terminate [concur-thread-not-joined]
  ~Poller() { done_ = true; }
  // CHECK: members.cpp:[[@LINE-7]]:26: note: 'worker_' is started here

private:
  void poll();
  std::atomic<bool> done_{false};
  std::thread worker_;
  // CHECK: members.cpp:[[@LINE-1]]:15: note: 'worker_' is declared here
  // CHECK: members.cpp:[[@LINE-13]]:8: note: 'stop' joins it, but the destructor does not call it
};

class Pool {
public:
  explicit Pool(int n) {
    for (int i = 0; i < n; ++i)
      threads_.emplace_back(work, i);
  }

private:
  // CHECK: members.cpp:[[@LINE+1]]:28: warning: threads in member 'threads_' of 'Pool' may still be joinable when the object is destroyed: the class has no destructor that joins or detaches it, and destroying a joinable std::thread calls std::terminate [concur-thread-not-joined]
  std::vector<std::thread> threads_;
  // CHECK: members.cpp:[[@LINE-6]]:16: note: a thread is added to 'threads_' here
};

// Near misses.

class JoinsInDestructor {
public:
  JoinsInDestructor() : worker_(work, 1) {}
  ~JoinsInDestructor() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  std::thread worker_;
};

class JoinsThroughStop {
public:
  void start() { worker_ = std::thread(work, 2); }
  ~JoinsThroughStop() { stop(); }

private:
  void stop() { shutdown(); }
  void shutdown() {
    if (worker_.joinable())
      worker_.join();
  }
  std::thread worker_;
};

class PoolJoinsAll {
public:
  explicit PoolJoinsAll(int n) {
    for (int i = 0; i < n; ++i)
      threads_.emplace_back(work, i);
  }
  ~PoolJoinsAll() {
    for (auto &t : threads_)
      t.join();
  }

private:
  std::vector<std::thread> threads_;
};

class DestructorElsewhere {
public:
  void start() { worker_ = std::thread(work, 3); }
  ~DestructorElsewhere(); // defined in another file

private:
  std::thread worker_;
};

class NeverStarted {
public:
  std::thread &slot() { return worker_; }

private:
  std::thread worker_;
};

class UsesJthread {
public:
  void start() { worker_ = std::jthread(work, 4); }

private:
  std::jthread worker_;
};
