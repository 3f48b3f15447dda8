// RUN: %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note: field"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
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

struct OptionalLock {
  explicit OptionalLock(std::mutex *m) : m_(m) {
    if (m_ != nullptr)
      m_->lock();
  }
  ~OptionalLock() {
    if (m_ != nullptr)
      m_->unlock();
  }

private:
  std::mutex *m_;
};

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
    std::lock_guard<std::mutex> g(monitor_sync_);
    monitor_ = 0;
    terminated_ = true;
  }
  // Reported: no optional lock here.
  bool terminated() const { return terminated_; }
  // CHECK: optional-locks.cpp:[[@LINE-1]]:36: note: field 'terminated_' is read without holding 'monitor_sync_'
  void setMonitor(int m) {
    std::lock_guard<std::mutex> g(monitor_sync_);
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
  std::mutex sync_;
  std::mutex monitor_sync_;
  bool terminated_ = false;
  int pending_ = 0;
  int monitor_ = 0;
};

int main() {}
