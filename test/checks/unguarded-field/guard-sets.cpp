// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// A guard is a set of locks decided from the writes, and an unguarded
// access is reported however many guarded ones there are.
#include <mutex>
#include <string>
#include <vector>

// Two-lock discipline: written with both locks held, read with either.
class Journal {
  std::mutex mutex_, log_mutex_;
  std::vector<std::string> log_;
  int seq_ = 0;

public:
  void append(const std::string &s) {
    std::lock_guard<std::mutex> a(mutex_);
    std::lock_guard<std::mutex> b(log_mutex_);
    log_.push_back(s);
    ++seq_;
  }
  void rotate() {
    std::lock_guard<std::mutex> a(mutex_);
    std::lock_guard<std::mutex> b(log_mutex_);
    log_.clear();
  }
  // Near misses: a read with either lock held.
  size_t sizeUnderMain() {
    std::lock_guard<std::mutex> a(mutex_);
    return log_.size();
  }
  size_t sizeUnderLog() {
    std::lock_guard<std::mutex> b(log_mutex_);
    return log_.size();
  }
  int seqUnderLog() {
    std::lock_guard<std::mutex> b(log_mutex_);
    return seq_;
  }
  // A write with only one of the two.
  void truncate() {
    std::lock_guard<std::mutex> b(log_mutex_);
    // CHECK: guard-sets.cpp:[[@LINE+1]]:5: warning: field 'log_' is written without holding 'mutex_'; 'mutex_' and 'log_mutex_' are all held at 2 of its 3 writes [concur-unguarded-field]
    log_.pop_back();
  }
  // A read with neither.
  bool empty() {
    // CHECK: guard-sets.cpp:[[@LINE+1]]:12: warning: field 'log_' is read without holding 'mutex_' or 'log_mutex_'
    return log_.empty();
  }
};

// Outnumbered: one write under the lock and several unguarded reads is
// still a race on each read.
class Progress {
  std::mutex mu_;
  long done_ = 0;

public:
  void advance(long n) {
    std::lock_guard<std::mutex> g(mu_);
    done_ += n;
  }
  // CHECK: guard-sets.cpp:[[@LINE+1]]:24: note: field 'done_' is read without holding 'mu_'; 'mu_' is held at 1 of its 5 accesses (1 write)
  long done() { return done_; }
  // CHECK: guard-sets.cpp:[[@LINE+1]]:34: note: field 'done_' is read without holding 'mu_'
  bool finished(long n) { return done_ >= n; }
  // CHECK: guard-sets.cpp:[[@LINE+1]]:28: note: field 'done_' is read without holding 'mu_'
  long percent() { return (done_ * 100) / 7; }
  // CHECK: guard-sets.cpp:[[@LINE+1]]:29: note: field 'done_' is read without holding 'mu_'
  long twice() { return 2 * done_; }
};

// Near miss: read under the lock but never written under it: no guard.
class ReadsOnly {
  std::mutex mu_;
  int mode_ = 0;

public:
  void set(int m) { mode_ = m; }
  int get() {
    std::lock_guard<std::mutex> g(mu_);
    return mode_;
  }
  int peek() { return mode_; }
};

// Near miss: writes under different locks, none held at every write: the
// discipline is unclear, so nothing is claimed.
class Split {
  std::mutex a_, b_;
  int n_ = 0;

public:
  void viaA() { std::lock_guard<std::mutex> g(a_); n_ = 1; }
  void viaB() { std::lock_guard<std::mutex> g(b_); n_ = 2; }
  int get() { return n_; }
};

// Near miss: a shared reader lock is enough to read.
#include <shared_mutex>
class Table {
  mutable std::shared_mutex mu_;
  std::vector<int> rows_;

public:
  void add(int r) {
    std::unique_lock<std::shared_mutex> lk(mu_);
    rows_.push_back(r);
  }
  size_t rows() const {
    std::shared_lock<std::shared_mutex> lk(mu_);
    return rows_.size();
  }
};
