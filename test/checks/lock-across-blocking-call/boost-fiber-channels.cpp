// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// boost::fibers channels (Debian's libboost-fiber-dev): the timed forms of
// push and pop block until their timeout like the untimed ones block; the
// try_ forms do not block.
#include <boost/fiber/buffered_channel.hpp>
#include <boost/fiber/unbuffered_channel.hpp>
#include <chrono>
#include <mutex>

using Chan = boost::fibers::buffered_channel<int>;
std::mutex mu;

void untimed(Chan &ch) {
  std::lock_guard<std::mutex> g(mu);
  // CHECK: boost-fiber-channels.cpp:[[@LINE+1]]:6: warning: call to 'boost::fibers::buffered_channel::push' blocks while holding lock 'mu'
  ch.push(1);
  int v;
  // CHECK: boost-fiber-channels.cpp:[[@LINE+1]]:6: warning: call to 'boost::fibers::buffered_channel::pop' blocks while holding lock 'mu'
  ch.pop(v);
}

void timed(Chan &ch, std::chrono::steady_clock::time_point deadline) {
  std::lock_guard<std::mutex> g(mu);
  int v;
  // CHECK: boost-fiber-channels.cpp:[[@LINE+1]]:6: warning: call to 'boost::fibers::buffered_channel::push_wait_until' blocks until its timeout while holding lock 'mu'
  ch.push_wait_until(1, deadline);
  // CHECK: boost-fiber-channels.cpp:[[@LINE+1]]:6: warning: call to 'boost::fibers::buffered_channel::pop_wait_until' blocks until its timeout while holding lock 'mu'
  ch.pop_wait_until(v, deadline);
  // CHECK: boost-fiber-channels.cpp:[[@LINE+1]]:6: warning: call to 'boost::fibers::buffered_channel::push_wait_for' blocks until its timeout while holding lock 'mu'
  ch.push_wait_for(1, std::chrono::milliseconds(10));
  // CHECK: boost-fiber-channels.cpp:[[@LINE+1]]:6: warning: call to 'boost::fibers::buffered_channel::pop_wait_for' blocks until its timeout while holding lock 'mu'
  ch.pop_wait_for(v, std::chrono::milliseconds(10));
}

void unbufferedTimed(boost::fibers::unbuffered_channel<int> &ch,
                     std::chrono::steady_clock::time_point deadline) {
  std::lock_guard<std::mutex> g(mu);
  // CHECK: boost-fiber-channels.cpp:[[@LINE+1]]:6: warning: call to 'boost::fibers::unbuffered_channel::push_wait_until' blocks until its timeout while holding lock 'mu'
  ch.push_wait_until(1, deadline);
  int v;
  // CHECK: boost-fiber-channels.cpp:[[@LINE+1]]:6: warning: call to 'boost::fibers::unbuffered_channel::pop_wait_until' blocks until its timeout while holding lock 'mu'
  ch.pop_wait_until(v, deadline);
}

// Near misses: the non-blocking forms, a zero timeout, and no lock held.
void nonBlocking(Chan &ch, std::chrono::steady_clock::time_point deadline) {
  int v;
  {
    std::lock_guard<std::mutex> g(mu);
    ch.try_push(1);
    ch.try_pop(v);
    ch.push_wait_for(1, std::chrono::milliseconds(0));
    ch.pop_wait_for(v, std::chrono::milliseconds(0));
  }
  ch.push_wait_until(1, deadline);
  ch.pop_wait_until(v, deadline);
}
