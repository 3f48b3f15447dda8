// RUN: not %concur --quiet --checks=-*,concur-send-on-closed-channel,concur-channel-double-close %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-send-on-closed-channel,concur-channel-double-close %s -- %std
//
// boost::fibers channels, from Debian's libboost-fiber-dev: a push after
// close() returns channel_op_status::closed, and the value is lost.
#include <boost/fiber/buffered_channel.hpp>
#include <boost/fiber/unbuffered_channel.hpp>

using Chan = boost::fibers::buffered_channel<int>;

void producer(Chan &ch, int n) {
  for (int i = 0; i < n; ++i)
    ch.push(i);
  ch.close();
  // CHECK: boost-fibers.cpp:[[@LINE+1]]:6: warning: send on channel 'ch' after it was closed on every path to here [concur-send-on-closed-channel]
  ch.push(-1);
  // CHECK: boost-fibers.cpp:[[@LINE+1]]:6: warning: send on channel 'ch' after it was closed on every path to here
  ch.try_push(-2);
}

void consumerDrains(Chan &ch) {
  ch.close();
  int v;
  while (ch.pop(v) == boost::fibers::channel_op_status::success) {
  } // near miss: popping after close drains the buffer
}

void unbuffered(boost::fibers::unbuffered_channel<int> &ch, bool b) {
  if (b)
    ch.close();
  // CHECK: boost-fibers.cpp:[[@LINE+1]]:6: warning: channel 'ch' is closed again; it was already closed on some paths to here [concur-channel-double-close]
  ch.close();
}

// The timed sends are sends: after close() they lose the value too.
void timedSendsAfterClose(Chan &ch, std::chrono::steady_clock::time_point t) {
  ch.close();
  // CHECK: boost-fibers.cpp:[[@LINE+1]]:6: warning: send on channel 'ch' after it was closed on every path to here
  ch.push_wait_until(1, t);
  // CHECK: boost-fibers.cpp:[[@LINE+1]]:6: warning: send on channel 'ch' after it was closed on every path to here
  ch.push_wait_for(2, std::chrono::milliseconds(5));
  int v;
  ch.pop_wait_until(v, t); // near miss: receiving after close drains
  ch.try_pop(v);
}
