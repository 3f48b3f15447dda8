// RUN: not %concur --quiet %s -- %std -isystem %S/../../Inputs/mock | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std -isystem %S/../../Inputs/mock
//
// Boost.Thread names.
#include <boost/thread/thread.h>
#include <boost/fiber/channel.h>

boost::mutex mu;

void guardAndJoin(boost::thread &t) {
  boost::lock_guard<boost::mutex> g(mu);
  // CHECK: boost.cpp:[[@LINE+1]]:5: warning: call to 'boost::thread::join' blocks while holding lock 'mu'
  t.join();
}

void deferred(boost::thread &t) {
  boost::unique_lock<boost::mutex> lk(mu, boost::defer_lock);
  t.join(); // near miss: not locked yet
  lk.lock();
  // CHECK: boost.cpp:[[@LINE+1]]:3: warning: call to 'boost::this_thread::sleep_for' blocks until its timeout while holding lock 'mu'
  boost::this_thread::sleep_for(5);
}

void fiberChannel(boost::fibers::buffered_channel<int> &ch) {
  mu.lock();
  // CHECK: boost.cpp:[[@LINE+1]]:6: warning: call to 'boost::fibers::buffered_channel::push' blocks while holding lock 'mu'
  ch.push(1);
  ch.try_push(2); // near miss: never blocks
  mu.unlock();
}
