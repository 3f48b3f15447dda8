#include <zmq/mutex.hpp>

using OptionalLock = zmq::scoped_optional_lock_t;

void resolve(const char *host);

class Socket {
public:
  void connect(const char *host);
  void bind(const char *host);

private:
  bool thread_safe_ = false;
  zmq::mutex_t sync_;
};
