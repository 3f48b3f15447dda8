// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
// RUN: not %concur --quiet --dump-models %s -- %std | FileCheck %s --check-prefix=MODELS
//
// A reader-writer guard whose constructor takes the lock in the mode a
// bool argument says (Poco's ScopedRWLock(RWLock&, bool write = false)):
// each construction holds the mode its own argument chooses.
#include <map>
#include <pthread.h>
#include <string>

class RWLock {
  pthread_rwlock_t rw_;

public:
  RWLock() { pthread_rwlock_init(&rw_, nullptr); }
  ~RWLock() { pthread_rwlock_destroy(&rw_); }
  void readLock() { pthread_rwlock_rdlock(&rw_); }
  void writeLock() { pthread_rwlock_wrlock(&rw_); }
  void unlock() { pthread_rwlock_unlock(&rw_); }
};

class ScopedRWLock {
  RWLock &rwl_;

public:
  ScopedRWLock(RWLock &rwl, bool write = false) : rwl_(rwl) {
    if (write)
      rwl_.writeLock();
    else
      rwl_.readLock();
  }
  ~ScopedRWLock() { rwl_.unlock(); }
};
// MODELS-DAG: model: 'ScopedRWLock' guard (inferred from its body): constructor acquire(exclusive if arg 1) arg 0
// MODELS-DAG: model: 'ScopedRWLock2' guard (inferred from its body): constructor acquire(shared if arg 1) arg 0

// A guard that decides the other way round, under `!shared`.
class ScopedRWLock2 {
  RWLock &rwl_;

public:
  ScopedRWLock2(RWLock &rwl, bool shared) : rwl_(rwl) {
    if (!shared)
      rwl_.writeLock();
    else
      rwl_.readLock();
  }
  ~ScopedRWLock2() { rwl_.unlock(); }
};

class EncodingRegistry {
  mutable RWLock lock_;
  std::map<std::string, int> encodings_;

public:
  void add(const std::string &name, int id) {
    ScopedRWLock guard(lock_, true); // near miss: the write mode
    encodings_[name] = id;
  }
  void remove(const std::string &name) {
    ScopedRWLock2 guard(lock_, false); // near miss: not shared, exclusive
    encodings_.erase(name);
  }
  int find(const std::string &name) const {
    ScopedRWLock guard(lock_); // the default: read mode
    auto it = encodings_.find(name);
    return it == encodings_.end() ? -1 : it->second;
  }
  void clearUnderReadLock() {
    ScopedRWLock guard(lock_, false);
    // CHECK: mode-by-argument.cpp:[[@LINE+1]]:5: warning: field 'encodings_' is written while 'lock_' is held only in shared mode
    encodings_.clear();
  }
  void renameUnderSharedLock(const std::string &from, const std::string &to) {
    ScopedRWLock2 guard(lock_, true);
    // A non-const operator[] may insert: both sides write.
    // CHECK: mode-by-argument.cpp:[[@LINE+2]]:5: warning: field 'encodings_' is written while 'lock_' is held only in shared mode
    // CHECK: mode-by-argument.cpp:[[@LINE+1]]:22: warning: field 'encodings_' is written while 'lock_' is held only in shared mode
    encodings_[to] = encodings_[from];
  }
  void addMaybe(const std::string &name, bool exclusive) {
    ScopedRWLock guard(lock_, exclusive); // near miss: not known, exclusive
    encodings_[name] = 0;
  }
};
