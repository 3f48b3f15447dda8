// RUN: %concur --quiet --checks=-*,concur-unguarded-field %s -- %std -I %S/../../Inputs/mock | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note: field"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std -I %S/../../Inputs/mock
//
// A lock taken only when the object is shared: zeromq's socket API takes
// `scoped_optional_lock_t l (_thread_safe ? &_sync : NULL)`. Either the
// socket has one thread, or the lock serialises the API: what it covers
// does not race with the rest of the API, and what those methods call runs
// serialised too (process_commands()). The flag _ctx_terminated is written
// under _monitor_sync only because process_stop() needs that lock for the
// monitor; its reads under the optional lock are not reported. An access
// outside the optional lock's scope, or in a method without it, is.
#include <mutex>
#include <zmq/mutex.hpp>

using zmq::mutex_t;
using zmq::scoped_lock_t;
using OptionalLock = zmq::scoped_optional_lock_t;

class Socket {
public:
  explicit Socket(bool safe) : thread_safe_(safe) {}
  int send(int msg) {
    OptionalLock l(thread_safe_ ? &sync_ : nullptr);
    if (terminated_)
      return -1;
    processCommands();
    pending_ = msg;
    return 0;
  }
  int recv() {
    OptionalLock l(thread_safe_ ? &sync_ : NULL);
    if (terminated_)
      return -1;
    processCommands();
    return pending_;
  }
  // A command handler: the socket's mailbox runs it (another file calls it).
  void processStop() {
    scoped_lock_t g(monitor_sync_);
    monitor_ = 0;
    terminated_ = true;
  }
  // Reported: no optional lock here.
  bool terminated() const { return terminated_; }
  // CHECK: optional-locks.cpp:[[@LINE-1]]:36: note: field 'terminated_' is read without holding 'monitor_sync_'
  void setMonitor(int m) {
    scoped_lock_t g(monitor_sync_);
    monitor_ = m;
  }
  int drain() {
    {
      OptionalLock l(thread_safe_ ? &sync_ : nullptr);
      processCommands();
    }
    // Reported: the optional lock's scope has ended.
    return monitor_;
    // CHECK: optional-locks.cpp:[[@LINE-1]]:12: note: field 'monitor_' is read without holding 'monitor_sync_'
  }

private:
  void processCommands() {
    if (terminated_)
      return;
  }
  const bool thread_safe_;
  mutex_t sync_;
  mutex_t monitor_sync_;
  bool terminated_ = false;
  int pending_ = 0;
  int monitor_ = 0;
};

int main() {}
