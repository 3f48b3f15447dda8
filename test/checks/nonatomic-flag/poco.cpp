// RUN: not %concur --quiet --checks='-*,concur-nonatomic-flag' %s -- %std -isystem %S/../../Inputs/mock | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std -isystem %S/../../Inputs/mock
//
// Poco's threads run a Runnable's run(): Poco::Thread::start(Runnable &) and
// Poco::ThreadPool::start(Runnable &) are spawn points (rules/poco.json), so
// a flag that run() polls and stop() sets is found there as well.
#include <Poco/Thread.h>
#include <Poco/ThreadPool.h>
#include <atomic>

void serve();

class Server : public Poco::Runnable {
  bool stopped_ = true;
  Poco::Thread thread_;

public:
  void start() {
    stopped_ = false; // before the thread starts: fine
    thread_.start(*this);
  }
  void stop() {
    stopped_ = true; // noted below
    thread_.join();
  }
  void run() override {
    // CHECK: [[@LINE+3]]:13: warning: 'stopped_' decides when this loop on another thread ends
    // CHECK: note: the loop runs on the thread started here
    // CHECK: :[[@LINE-6]]:5: note: 'stopped_' is written here, in 'Server::stop', with no lock held
    while (!stopped_)
      serve();
  }
};

struct Job : Poco::Runnable {
  int left = 3;
  void run() override {
    // CHECK: [[@LINE+3]]:12: warning: 'left' decides when this loop on another thread ends
    // CHECK: note: the loop runs on the thread started here
    // CHECK: note: 'left' is written here, in 'Job::cancel'
    while (left > 0)
      serve();
  }
  void cancel() { left = 0; }
};

void runJob(Poco::ThreadPool &pool, Job &job) { pool.start(job); }

// ---- near misses ----

// The flag is atomic.
class AtomicServer : public Poco::Runnable {
  std::atomic<bool> stopped_{false};
  Poco::Thread thread_;

public:
  void start() { thread_.start(*this); }
  void stop() {
    stopped_ = true;
    thread_.join();
  }
  void run() override {
    while (!stopped_)
      serve();
  }
};

// No thread runs this Runnable: its run() is only called in place.
struct Inline : Poco::Runnable {
  bool done = false;
  void run() override {
    while (!done)
      serve();
  }
  void finish() { done = true; }
};
void callInPlace(Inline &i) { i.run(); }
