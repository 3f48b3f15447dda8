// RUN: not %concur --quiet --checks=-*,concur-stop-ignored %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-stop-ignored %s -- %std
//
// A thread whose callable receives a std::stop_token (std::jthread passes
// one; a std::thread can be given one) and whose loop never looks at it and
// has no other way out: request_stop() is lost and the join blocks forever.
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

void poll();
bool pending();
std::optional<int> nextItem();
void handle(int);

void jthreadIgnoresToken() {
  std::jthread worker([](std::stop_token token) {
    while (true) {
      // CHECK: token.cpp:[[@LINE-1]]:5: warning: this loop never consults the thread's std::stop_token and has no other way out: request_stop() cannot end it, and the join that follows (a std::jthread's destructor) blocks forever [concur-stop-ignored]
      // CHECK: token.cpp:[[@LINE-3]]:16: note: the thread is started here
      // CHECK: token.cpp:[[@LINE-4]]:42: note: the stop token 'token' is received here; test stop_requested() in the loop, wait with it, or register a std::stop_callback
      poll();
    }
  });
}

// A function given the token of a stop source by a plain std::thread.
void pump(std::stop_token token, int rounds) {
  for (;;) {
    // CHECK: token.cpp:[[@LINE-1]]:3: warning: this loop never consults the thread's std::stop_token
    // CHECK: token.cpp:[[@LINE+8]]:15: note: the thread is started here
    // CHECK: token.cpp:[[@LINE-4]]:27: note: the stop token 'token' is received here
    if (pending())
      poll();
  }
}

void threadGivenToken(std::stop_source &source) {
  std::thread t(pump, source.get_token(), 3);
  t.detach();
}

// The token is tested only before the loop: the loop itself never looks.
void checksOnceBeforeLoop() {
  std::jthread worker([](std::stop_token st) {
    if (st.stop_requested())
      return;
    do {
      // CHECK: token.cpp:[[@LINE-1]]:5: warning: this loop never consults the thread's std::stop_token
      // CHECK: token.cpp:[[@LINE-5]]:16: note: the thread is started here
      // CHECK: token.cpp:[[@LINE-6]]:42: note: the stop token 'st' is received here
      poll();
    } while (true);
  });
}

// Near misses.

void testsTheToken() {
  std::jthread worker([](std::stop_token st) {
    while (!st.stop_requested())
      poll();
  });
}

void breaksOnTheToken() {
  std::jthread worker([](std::stop_token st) {
    for (;;) {
      poll();
      if (st.stop_requested())
        break;
    }
  });
}

std::mutex mu;
std::condition_variable_any ready;
std::deque<int> queue;

void waitsWithTheToken() {
  std::jthread worker([](std::stop_token st) {
    while (true) {
      std::unique_lock<std::mutex> lock(mu);
      ready.wait(lock, st, [] { return !queue.empty(); });
      queue.pop_front();
    }
  });
}

void copiesTheToken(std::stop_source &source) {
  std::jthread worker([&source] {
    std::stop_token mine = source.get_token();
    while (true)
      if (mine.stop_requested())
        return;
  });
}

void registersCallback() {
  std::jthread worker([](std::stop_token st) {
    std::stop_callback wake(st, [] { ready.notify_all(); });
    for (;;)
      poll();
  });
}

void exitsOnSentinel() {
  std::jthread worker([](std::stop_token) {
    while (true) {
      std::optional<int> item = nextItem();
      if (!item)
        break;
      handle(*item);
    }
  });
}

void boundedLoop() {
  std::jthread worker([](std::stop_token) {
    for (int i = 0; i < 10; ++i)
      poll();
  });
}

void loopWithCondition() {
  std::jthread worker([](std::stop_token) {
    while (pending())
      poll();
  });
}

void exitsTheProcess() {
  std::jthread worker([](std::stop_token) {
    for (;;) {
      if (pending())
        std::exit(0);
      poll();
    }
  });
}

void throwsOut() {
  std::jthread worker([](std::stop_token) {
    for (;;) {
      if (!pending())
        throw 1;
      poll();
    }
  });
}

void leavesByGoto() {
  std::jthread worker([](std::stop_token) {
    for (;;) {
      if (!pending())
        goto done;
      poll();
    }
  done:
    poll();
  });
}

// No token: nothing to ignore (and no class with a stop flag).
void noToken() {
  std::jthread worker([] {
    for (;;)
      poll();
  });
}
