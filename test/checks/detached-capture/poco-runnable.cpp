// RUN: not %concur --quiet --checks=-*,concur-detached-capture %s -- %std -I %S/../../Inputs/mock | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-detached-capture %s -- %std -I %S/../../Inputs/mock
//
// Poco::ThreadPool::start(Runnable &) runs the object's run() on a pooled
// thread later and keeps only a reference to it (rules/poco.json:
// "spawn_method": "run", "deferred"). A local Runnable handed over and not
// waited for dies under the task. Near misses: the pool joined before the
// local dies, and a Runnable that outlives the function.
#include <Poco/ThreadPool.h>

struct Job : Poco::Runnable {
  int rows = 0;
  void run() override { ++rows; }
};

void leak(Poco::ThreadPool &pool) {
  Job job;
  // CHECK: [[@LINE+3]]:14: warning: the deferred task runs 'Job::run' on 'job', a local of 'leak' that can die while the task still runs: a use after its lifetime
  // CHECK: note: the task is handed over here
  // CHECK: note: 'job' dies here
  pool.start(job);
}

// Near miss: joinAll() waits for every pooled task before 'job' dies.
void waited(Poco::ThreadPool &pool) {
  Job job;
  pool.start(job);
  pool.joinAll();
}

// Near miss: the Runnable belongs to the caller.
void borrowed(Poco::ThreadPool &pool, Job &job) { pool.start(job); }

// Near miss: a static object lives as long as the program.
void forever(Poco::ThreadPool &pool) {
  static Job job;
  pool.start(job);
}
