// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// Lambdas called in place are followed however deeply they nest: the lock
// of the outermost function is held in the innermost body.
#include <mutex>
#include <unistd.h>

std::mutex mu;

void fiveDeep() {
  std::lock_guard<std::mutex> g(mu);
  [&] {
    [&] {
      [&] {
        [&] {
          [&] {
            // CHECK: nested-lambdas.cpp:[[@LINE+1]]:13: warning: call to 'usleep' blocks while holding lock 'mu'
            usleep(1);
          }();
        }();
      }();
    }();
  }();
}

void eightDeepThroughLocals() {
  std::lock_guard<std::mutex> g(mu);
  auto l1 = [&] {
    auto l2 = [&] {
      auto l3 = [&] {
        auto l4 = [&] {
          auto l5 = [&] {
            auto l6 = [&] {
              auto l7 = [&] {
                auto l8 = [&] {
                  // CHECK: nested-lambdas.cpp:[[@LINE+1]]:19: warning: call to 'sleep' blocks while holding lock 'mu'
                  sleep(1);
                };
                l8();
              };
              l7();
            };
            l6();
          };
          l5();
        };
        l4();
      };
      l3();
    };
    l2();
  };
  l1();
}

// Near miss: nested as deep, but the lock is released before the call.
void releasedBefore() {
  std::unique_lock<std::mutex> g(mu);
  g.unlock();
  [&] { [&] { [&] { [&] { [&] { [&] { usleep(1); }(); }(); }(); }(); }(); }();
}

// Each lambda calls the one before twice: 2^20 replays if each were
// followed; the analysis stays bounded and still reports the call once.
void doubling() {
  std::lock_guard<std::mutex> g(mu);
  // CHECK: nested-lambdas.cpp:[[@LINE+1]]:19: warning: call to 'usleep' blocks while holding lock 'mu'
  auto a0 = [&] { usleep(1); };
  auto a1 = [&] { a0(); a0(); };
  auto a2 = [&] { a1(); a1(); };
  auto a3 = [&] { a2(); a2(); };
  auto a4 = [&] { a3(); a3(); };
  auto a5 = [&] { a4(); a4(); };
  auto a6 = [&] { a5(); a5(); };
  auto a7 = [&] { a6(); a6(); };
  auto a8 = [&] { a7(); a7(); };
  auto a9 = [&] { a8(); a8(); };
  auto a10 = [&] { a9(); a9(); };
  auto a11 = [&] { a10(); a10(); };
  auto a12 = [&] { a11(); a11(); };
  auto a13 = [&] { a12(); a12(); };
  auto a14 = [&] { a13(); a13(); };
  auto a15 = [&] { a14(); a14(); };
  auto a16 = [&] { a15(); a15(); };
  auto a17 = [&] { a16(); a16(); };
  auto a18 = [&] { a17(); a17(); };
  auto a19 = [&] { a18(); a18(); };
  a19();
}
