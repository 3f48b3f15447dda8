// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// The catalogue of blocking operations, each called under a lock.
#include <barrier>
#include <chrono>
#include <cstdlib>
#include <future>
#include <latch>
#include <mutex>
#include <poll.h>
#include <semaphore.h>
#include <semaphore>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;
std::mutex mu;

void threadsAndFutures(std::thread &t, std::future<int> &f,
                       std::shared_future<int> &sf) {
  std::lock_guard<std::mutex> g(mu);
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:5: warning: call to 'std::thread::join' blocks while holding lock 'mu'
  t.join();
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:5: warning: call to 'std::future::get' blocks while holding lock 'mu'
  f.get();
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:6: warning: call to 'std::shared_future::wait' blocks while holding lock 'mu'
  sf.wait();
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:5: warning: call to 'std::future::wait_for' blocks until its timeout while holding lock 'mu'
  f.wait_for(10ms);
  f.wait_for(0s); // near miss: a poll
}

void latchesAndSemaphores(std::latch &l, std::barrier<> &b,
                          std::counting_semaphore<4> &s, sem_t *ps) {
  std::lock_guard<std::mutex> g(mu);
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:5: warning: call to 'std::latch::wait' blocks while holding lock 'mu'
  l.wait();
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:5: warning: call to 'std::barrier::arrive_and_wait' blocks while holding lock 'mu'
  b.arrive_and_wait();
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:5: warning: call to 'std::counting_semaphore::acquire' blocks while holding lock 'mu'
  s.acquire();
  s.release(); // near miss: does not block
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:3: warning: call to 'sem_wait' blocks while holding lock 'mu'
  sem_wait(ps);
  l.count_down(); // near miss: does not block
}

void socketsAndProcesses(int fd, char *buf, pollfd *fds) {
  std::lock_guard<std::mutex> g(mu);
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:3: warning: call to 'recv' may block while holding lock 'mu'
  recv(fd, buf, 1, 0);
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:3: warning: call to 'send' may block while holding lock 'mu'
  send(fd, buf, 1, 0);
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:3: warning: call to 'accept' may block while holding lock 'mu'
  accept(fd, nullptr, nullptr);
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:3: warning: call to 'poll' blocks until its timeout while holding lock 'mu'
  poll(fds, 1, -1);
  poll(fds, 1, 0); // near miss: a zero timeout
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:3: warning: call to 'fsync' may block while holding lock 'mu'
  fsync(fd);
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:3: warning: call to 'waitpid' blocks while holding lock 'mu'
  waitpid(1, nullptr, 0);
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:3: warning: call to 'system' blocks while holding lock 'mu'
  std::system("true");
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(1);
  // CHECK: blocking-calls.cpp:[[@LINE+1]]:3: warning: call to 'std::this_thread::sleep_until' blocks until its timeout while holding lock 'mu'
  std::this_thread::sleep_until(std::chrono::steady_clock::now() + 1s);
}

// Near miss: functions that share a name with a blocking call but are not
// the C library's.
namespace app {
int read(int, char *, int) { return 0; }
} // namespace app
struct File {
  int read(char *, int) { return 0; }
};
void notTheLibc(File &f, char *buf) {
  std::lock_guard<std::mutex> g(mu);
  app::read(0, buf, 1);
  f.read(buf, 1);
}
