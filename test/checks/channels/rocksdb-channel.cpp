// RUN: not %concur --quiet --checks=-*,concur-send-on-closed-channel,concur-channel-double-close,concur-lock-across-blocking-call %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-send-on-closed-channel,concur-channel-double-close,concur-lock-across-blocking-call %s -- %std
//
// RocksDB's util/channel.h, declared as RocksDB declares it: write() sends,
// read() blocks for a value, sendEof() closes.
#include <mutex>

namespace rocksdb {
template <class T> class channel {
public:
  explicit channel() : eof_(false) {}
  void sendEof();
  bool eof();
  void write(T &&elem);
  bool read(T &elem);

private:
  bool eof_;
};
} // namespace rocksdb

void producer(rocksdb::channel<int> &ch) {
  ch.write(1);
  ch.sendEof();
  // CHECK: rocksdb-channel.cpp:[[@LINE+1]]:6: warning: send on channel 'ch' after it was closed on every path to here [concur-send-on-closed-channel]
  ch.write(2);
}

void closeTwice(rocksdb::channel<int> &ch, bool failed) {
  if (failed)
    ch.sendEof();
  // CHECK: rocksdb-channel.cpp:[[@LINE+1]]:6: warning: channel 'ch' is closed again; it was already closed on some paths to here [concur-channel-double-close]
  ch.sendEof();
}

std::mutex mu;
void consumeUnderLock(rocksdb::channel<int> &ch) {
  std::lock_guard<std::mutex> g(mu);
  int v;
  // CHECK: rocksdb-channel.cpp:[[@LINE+1]]:6: warning: call to 'rocksdb::channel::read' blocks while holding lock 'mu' [concur-lock-across-blocking-call]
  ch.read(v);
}

void drain(rocksdb::channel<int> &ch) {
  int v;
  while (ch.read(v)) { // near miss: reading after the end is how it drains
  }
  ch.sendEof();
}
