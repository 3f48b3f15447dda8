// RUN: not %concur --quiet --checks=-*,concur-send-on-closed-channel,concur-channel-double-close %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-send-on-closed-channel,concur-channel-double-close %s -- %std
//
// Sends after a close, and second closes, on hand-written Go-style channels.
#include <thread>

namespace app {
template <typename T> class Channel {
public:
  void send(const T &v);
  bool recv(T &out);
  void close();
  Channel &operator<<(const T &v);
};
} // namespace app

void straightLine(app::Channel<int> &ch) {
  ch.close();
  // CHECK: go-style.cpp:[[@LINE+1]]:6: warning: send on channel 'ch' after it was closed on every path to here [concur-send-on-closed-channel]
  ch.send(1);
  // CHECK: go-style.cpp:[[@LINE-3]]:6: note: 'ch' closed here
}

void afterBranch(app::Channel<int> &ch, bool done) {
  if (done)
    ch.close();
  // CHECK: go-style.cpp:[[@LINE+1]]:6: warning: send on channel 'ch' after it was closed on some paths to here
  ch << 1;
}

void laterIteration(app::Channel<int> &ch, int n) {
  for (int i = 0; i < n; ++i) {
    // CHECK: go-style.cpp:[[@LINE+1]]:8: warning: send on channel 'ch' after it was closed on some paths to here
    ch.send(i);
    if (i == 3)
      ch.close(); // near miss: the same close through the loop is not a double close
  }
}

void closeTwice(app::Channel<int> &ch, bool b) {
  ch.close();
  if (b)
    // CHECK: go-style.cpp:[[@LINE+1]]:8: warning: channel 'ch' is closed again; it was already closed on every path to here [concur-channel-double-close]
    ch.close();
}

// Near misses.
void sendThenClose(app::Channel<int> &ch) {
  ch.send(1);
  ch.close();
}
void receiveAfterClose(app::Channel<int> &ch) {
  ch.close();
  int v;
  while (ch.recv(v)) {
  } // receiving drains a closed channel: legal
}
void differentChannels(app::Channel<int> &a, app::Channel<int> &b) {
  a.close();
  b.send(1);
  b.close();
}
void guardedByFlag(app::Channel<int> &ch, bool stop) {
  bool closed = false;
  if (stop) {
    closed = true;
    ch.close();
  }
  if (!closed)
    ch.send(1);
}
void sendFromAnotherThread(app::Channel<int> &ch) {
  std::thread t([&ch] { ch.send(1); }); // its order against the close is unknown
  ch.close();
  t.join();
}

// Closes made by callees: a helper closing its parameter, a member closed
// by a helper method.
void finish(app::Channel<int> &c) { c.close(); }
void shutdown(app::Channel<int> &c) { finish(c); }
void viaHelpers(app::Channel<int> &ch) {
  shutdown(ch);
  // CHECK: go-style.cpp:[[@LINE+1]]:6: warning: send on channel 'ch' after it was closed on every path to here
  ch.send(2);
  // CHECK: go-style.cpp:[[@LINE-3]]:3: note: 'ch' closed by this call to 'shutdown'
  // CHECK: go-style.cpp:[[@LINE-6]]:39: note: 'shutdown' calls 'finish'
  // CHECK: go-style.cpp:[[@LINE-8]]:39: note: 'finish' calls 'app::Channel::close', which closes it
}

class Pipeline {
  app::Channel<int> out_;
  void closeOutput() { out_.close(); }

public:
  void run(int n) {
    for (int i = 0; i < n; ++i)
      out_.send(i);
    closeOutput();
    // CHECK: go-style.cpp:[[@LINE+1]]:10: warning: send on channel 'out_' after it was closed on every path to here
    out_.send(-1);
  }
  void stop() {
    closeOutput();
    // CHECK: go-style.cpp:[[@LINE+1]]:5: warning: channel 'out_' is closed again by this call; it was already closed on every path to here
    closeOutput();
  }
};

// Near misses: a new channel each iteration, and a channel replaced by a
// fresh one after the close.
void freshEachIteration(int n) {
  for (int i = 0; i < n; ++i) {
    app::Channel<int> ch;
    ch.send(i);
    ch.close();
  }
}
void replaced(app::Channel<int> &ch) {
  ch.close();
  ch = app::Channel<int>();
  ch.send(1);
  ch.close();
}
