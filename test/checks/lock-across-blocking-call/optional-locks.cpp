// RUN: not %concur --quiet --checks=-*,concur-lock-across-blocking-call %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-lock-across-blocking-call %s -- %std
//
// A lock taken only when the object is shared (zeromq's
// `scoped_optional_lock_t l (_thread_safe ? &_sync : NULL)`) may not be
// held at all: blocking under it is not reported. The same guard given the
// lock unconditionally is.
#include <mutex>
#include <unistd.h>

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
  int connect() {
    OptionalLock l(thread_safe_ ? &sync_ : nullptr);
    usleep(100); // near miss
    return 0;
  }
  int bind() {
    OptionalLock l(&sync_);
    usleep(100);
    // CHECK: optional-locks.cpp:[[@LINE-1]]:5: warning: call to 'usleep' blocks while holding lock 'sync_'
    return 0;
  }

private:
  bool thread_safe_ = false;
  std::mutex sync_;
};

int main() {}
