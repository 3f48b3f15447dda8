// RUN: not %concur --quiet --checks=-*,concur-lock-across-blocking-call %s -- %std -I %S/../../Inputs/mock | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-lock-across-blocking-call %s -- %std -I %S/../../Inputs/mock
//
// A lock taken only when the object is shared (zeromq's
// `scoped_optional_lock_t l (_thread_safe ? &_sync : NULL)`) may not be
// held at all: blocking under it is not reported. The same guard given the
// lock unconditionally is.
#include <unistd.h>
#include <zmq/mutex.hpp>

using OptionalLock = zmq::scoped_optional_lock_t;

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
  zmq::mutex_t sync_;
};

int main() {}
