// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// Hand-written Go-style WaitGroup and Channel classes, in any namespace.
#include <mutex>

namespace sync {
class WaitGroup {
public:
  void Add(int n);
  void Done();
  void Wait();
};
} // namespace sync

namespace chan {
template <typename T> class Channel {
public:
  void send(const T &v);
  bool recv(T &out);
  void close();
};
} // namespace chan

std::mutex mu;

void waitUnderLock(sync::WaitGroup &wg) {
  std::lock_guard<std::mutex> g(mu);
  wg.Add(1); // near miss: Add does not block
  // CHECK: go-style.cpp:[[@LINE+1]]:6: warning: call to 'sync::WaitGroup::Wait' blocks while holding lock 'mu'
  wg.Wait();
}

void channelUnderLock(chan::Channel<int> &ch) {
  std::lock_guard<std::mutex> g(mu);
  int v;
  // CHECK: go-style.cpp:[[@LINE+1]]:6: warning: call to 'chan::Channel::recv' blocks while holding lock 'mu'
  ch.recv(v);
  // CHECK: go-style.cpp:[[@LINE+1]]:6: warning: call to 'chan::Channel::send' may block while holding lock 'mu'
  ch.send(v);
  ch.close(); // near miss: close does not block
}
