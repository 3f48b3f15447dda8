// RUN: not %concur --fail-on=note --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note: field"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// A caller that holds the lock of the object it calls (taken through the
// object's accessor, as Poco's StreamSocket::sendBytes(FIFOBuffer &) takes
// `fifoBuf.mutex()` around `fifoBuf.used()`) makes the callee's accesses
// guarded by that object's own lock.
#include <cstddef>
#include <mutex>
#include <vector>

class Buffer {
public:
  std::mutex &mutex() { return mu_; }
  std::mutex *statsMutex() { return &statsMu_; }
  std::size_t used() const { return used_; }           // near miss: callers lock mu_
  std::size_t free() const { return cap_ - used_; }    // near miss: through a pointer
  std::size_t peak() const { return peak_; }           // near miss: a member's buffer
  // CHECK: receiver-locks.cpp:[[@LINE+1]]:39: note: field 'used_' is read without holding 'mu_'
  std::size_t unsent() const { return used_; }
  // CHECK: receiver-locks.cpp:[[@LINE+1]]:37: note: field 'peak_' is read without holding 'mu_'
  std::size_t high() const { return peak_; }
  // CHECK: receiver-locks.cpp:[[@LINE+1]]:40: note: field 'used_' is read without holding 'mu_'
  std::size_t backlog() const { return used_; }
  void add(std::size_t n) {
    std::lock_guard<std::mutex> g(mu_);
    used_ += n;
    if (used_ > peak_)
      peak_ = used_;
  }
  void drain(std::size_t n) {
    std::lock_guard<std::mutex> g(mu_);
    used_ -= n;
  }

private:
  std::mutex mu_, statsMu_;
  std::size_t used_ = 0, peak_ = 0, cap_ = 64;
};

std::size_t send(Buffer &b) {
  std::lock_guard<std::mutex> g(b.mutex());
  return b.used();
}

std::size_t room(Buffer *p) {
  std::lock_guard<std::mutex> g(p->mutex());
  return p->free();
}

// Holding no lock: the callee's read is reported, with this call as the way.
std::size_t pending(Buffer &b) { return b.unsent(); }

// Holding the object's other lock does not guard what mu_ guards.
std::size_t highWater(Buffer &b) {
  std::lock_guard<std::mutex> g(*b.statsMutex());
  return b.high();
}

// The lock given back before the call, by hand or at the end of a guard's
// scope: the callee runs without it.
std::size_t late(Buffer &b) {
  b.mutex().lock();
  b.mutex().unlock();
  return b.backlog();
}
std::size_t afterScope(Buffer &b) {
  { std::lock_guard<std::mutex> g(b.mutex()); }
  return b.backlog();
}

class Connection {
  Buffer out_;

public:
  std::size_t peak() {
    std::lock_guard<std::mutex> g(out_.mutex());
    return out_.peak();
  }
};

// A callee that gives the lock back for slow work (RocksDB's
// PersistentStatsProcessFormatVersion(), called by DB::Open with
// impl->mutex_ held) does not hold it throughout: its write after the
// unlock is no evidence that mu_ guards count_.
int slowLoad();
class Loader {
  std::mutex mu_, statsMu_;
  int count_ = 0, peeks_ = 0;
  std::vector<int> items_;

public:
  std::mutex &mutex() { return mu_; }
  void reload() {
    mu_.unlock();
    count_ = slowLoad();
    mu_.lock();
  }
  int peek() {
    std::lock_guard<std::mutex> g(statsMu_);
    ++peeks_;
    return count_; // near miss: no write holds mu_
  }
  void add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v);
  }
};

void refresh(Loader &l) {
  std::lock_guard<std::mutex> g(l.mutex());
  l.reload();
}
