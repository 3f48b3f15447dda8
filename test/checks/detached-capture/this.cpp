// RUN: not %concur --quiet --checks=-*,concur-detached-capture %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-detached-capture %s -- %std
//
// `this` given to a detached thread or a deferred task by a member function
// called on a local object of the caller: the object dies with the caller's
// frame while the task still uses it. concur follows one call: the member
// function that spawns must be defined in the translation unit and called
// directly on the local.
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

namespace app {
class ThreadPool {
public:
  template <typename F> void post(F task) { queue(std::function<void()>(task)); }

private:
  void queue(std::function<void()> task);
};
} // namespace app

void work(int);

class Session {
public:
  void startDetached() {
    std::thread([this] { work(id_); }).detach();
  }
  void startMember() {
    std::thread t(&Session::run, this);
    t.detach();
  }
  void startOnPool(app::ThreadPool &pool) {
    pool.post([this] { run(); });
  }
  void startAndJoin() {
    std::thread t([this] { run(); });
    t.join();
  }
  void startByValue() {
    std::thread([id = id_] { work(id); }).detach();
  }
  void run() { work(id_); }

private:
  int id_ = 0;
};

void usesLocalSession() {
  Session session;
  session.startDetached();
  // CHECK: this.cpp:[[@LINE-1]]:11: warning: 'Session::startDetached' gives 'this' to a detached thread, and 'session' is a local of 'usesLocalSession' that can die while the task still runs: a use after its lifetime [concur-detached-capture]
  // CHECK: this.cpp:[[@LINE-26]]:18: note: the task captures 'this' here
  // CHECK: this.cpp:[[@LINE-27]]:40: note: the thread is detached here
}
// CHECK: this.cpp:[[@LINE-1]]:1: note: 'session' dies here

void memberFunctionOnLocal(bool again) {
  Session session;
  if (again) {
    session.startMember();
    // CHECK: this.cpp:[[@LINE-1]]:13: warning: 'Session::startMember' gives 'this' to a detached thread, and 'session' is a local of 'memberFunctionOnLocal'
    // CHECK: this.cpp:[[@LINE-33]]:34: note: the task captures 'this' here
    // CHECK: this.cpp:[[@LINE-33]]:7: note: the thread is detached here
  }
}
// CHECK: this.cpp:[[@LINE-1]]:1: note: 'session' dies here

void postsLocalSession(app::ThreadPool &pool) {
  Session session;
  session.startOnPool(pool);
  // CHECK: this.cpp:[[@LINE-1]]:11: warning: 'Session::startOnPool' gives 'this' to a deferred task, and 'session' is a local of 'postsLocalSession'
  // CHECK: this.cpp:[[@LINE-39]]:16: note: the task captures 'this' here
  // CHECK: this.cpp:[[@LINE-40]]:10: note: the task is handed over here; it runs later and nothing waits for it
}
// CHECK: this.cpp:[[@LINE-1]]:1: note: 'session' dies here

// Near misses.

// A heap object outlives the caller.
void heapSession() {
  auto *session = new Session;
  session->startDetached();
  auto shared = std::make_shared<Session>();
  shared->startDetached();
}

// A member of a long-lived object is not the caller's to lose.
class Server {
public:
  void open() { session_.startDetached(); }

private:
  Session session_;
};

// A static object lives as long as the program.
void staticSession() {
  static Session session;
  session.startDetached();
}

// The spawning function joins before it returns, or copies what it needs.
void joinedOrCopied() {
  Session session;
  session.startAndJoin();
  session.startByValue();
}

// The caller waits on the object before it dies.
class Job {
public:
  void start() { std::thread([this] { finish(); }).detach(); }
  void wait() {
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [this] { return finished_; });
  }

private:
  void finish() {
    std::lock_guard<std::mutex> lock(mu_);
    finished_ = true;
    done_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable done_;
  bool finished_ = false;
};

void waitsForJob() {
  Job job;
  job.start();
  job.wait();
}
