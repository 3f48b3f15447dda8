#include "socket.h"
void Socket::connect(const char *host) {
  OptionalLock l(thread_safe_ ? &sync_ : nullptr);
  resolve(host);
}
void Socket::bind(const char *host) {
  OptionalLock l(&sync_);
  resolve(host);
}
