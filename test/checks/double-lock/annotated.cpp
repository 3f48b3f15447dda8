// RUN: not %concur --quiet --checks=-*,concur-double-lock %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-double-lock %s -- %std
//
// Locks known from Clang's thread-safety attributes: an ACQUIRE function
// called with its lock held is a double lock; a REQUIRES function called
// with it held is what the annotation asks for.
class __attribute__((capability("mutex"))) Mutex {
public:
  void Lock() __attribute__((acquire_capability()));
  void Unlock() __attribute__((release_capability()));
  void ReaderLock() __attribute__((acquire_shared_capability()));
  void ReaderUnlock() __attribute__((release_shared_capability()));
};

class Table {
  Mutex mu_;
  int rows_ = 0;
  void lockAll() __attribute__((acquire_capability(mu_))) { mu_.Lock(); }
  void unlockAll() __attribute__((release_capability(mu_))) { mu_.Unlock(); }
  void grow() __attribute__((requires_capability(mu_))) { rows_++; }
  void reset() {
    mu_.Lock();
    rows_ = 0;
    mu_.Unlock();
  }

public:
  void rebuild() {
    lockAll();
    // Near miss: annotated as requiring the lock.
    grow();
    // CHECK: annotated.cpp:[[@LINE+1]]:5: warning: lock 'mu_' acquired while this thread already holds it
    lockAll();
    unlockAll();
    unlockAll();
  }
  void readThenWrite() {
    mu_.ReaderLock();
    // CHECK: annotated.cpp:[[@LINE+1]]:5: warning: call to 'Table::reset' acquires lock 'mu_', which this thread already holds shared; upgrading a shared lock
    reset();
    mu_.ReaderUnlock();
  }
  // Near miss: two tables.
  void copyFrom(Table &other) {
    mu_.Lock();
    other.reset();
    mu_.Unlock();
  }
};
