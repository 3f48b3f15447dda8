// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// Globals and locals captured by reference, polled by a spawned lambda or a
// thread function, set by the spawner while the thread runs.
#include <mutex>
#include <pthread.h>
#include <thread>

void work();

bool g_running = true;
enum class State { Running, Stopping };
State g_state = State::Running;
std::mutex g_mu;

void *poller(void *) {
  // CHECK: globals-and-locals.cpp:[[@LINE+1]]:10: warning: 'g_running' decides when this loop on another thread ends{{.*}}make it 'std::atomic<bool>' [concur-nonatomic-flag]
  while (g_running)
    work();
  return nullptr;
}

void startPosix() {
  pthread_t t;
  // CHECK: globals-and-locals.cpp:[[@LINE+1]]:3: note: the loop runs on the thread started here
  pthread_create(&t, nullptr, poller, nullptr);
  work();
  // CHECK: globals-and-locals.cpp:[[@LINE+1]]:3: note: 'g_running' is written here, in 'startPosix', with no lock held
  g_running = false;
  pthread_join(t, nullptr);
}

void capturedLocal() {
  bool done = false;
  std::thread t([&] {
    // CHECK: globals-and-locals.cpp:[[@LINE+1]]:13: warning: 'done' decides when this loop on another thread ends{{.*}}make it 'std::atomic<bool>'
    while (!done)
      work();
  });
  // CHECK: globals-and-locals.cpp:[[@LINE-5]]:15: note: the loop runs on the thread started here
  work();
  // CHECK: globals-and-locals.cpp:[[@LINE+1]]:3: note: 'done' is written here, in 'capturedLocal', with no lock held
  done = true;
  t.join();
}

// The loop holds the lock, the writer does not.
void lockedOnOneSideOnly() {
  std::thread t([] {
    for (;;) {
      std::lock_guard<std::mutex> lock(g_mu);
      // CHECK: globals-and-locals.cpp:[[@LINE+1]]:11: warning: 'g_state' decides when this loop on another thread ends{{.*}}make it 'std::atomic<State>'
      if (g_state == State::Stopping)
        break;
    }
  });
  // CHECK: globals-and-locals.cpp:[[@LINE-8]]:15: note: the loop runs on the thread started here
  // CHECK: globals-and-locals.cpp:[[@LINE+1]]:3: note: 'g_state' is written here, in 'lockedOnOneSideOnly', with no lock held
  g_state = State::Stopping;
  t.join();
}

// --- Near misses: silent. ---

// Captured by copy: the thread has its own.
void copiedLocal() {
  bool done = false;
  std::thread t([done] {
    while (!done)
      work();
  });
  done = true;
  t.join();
}

// A local lambda that runs here, not on a thread.
void notSpawned() {
  bool done = false;
  auto loop = [&] {
    while (!done)
      work();
  };
  done = true;
  loop();
}

// Set before the spawn, and after the join.
void beforeAndAfter() {
  bool go = true;
  go = false;
  std::thread t([&] {
    while (go)
      work();
  });
  t.join();
  go = true;
}

// Both sides under the same global lock.
bool g_stop = false;
void bothLocked() {
  std::thread t([] {
    for (;;) {
      std::lock_guard<std::mutex> lock(g_mu);
      if (g_stop)
        return;
    }
  });
  {
    std::lock_guard<std::mutex> lock(g_mu);
    g_stop = true;
  }
  t.join();
}
