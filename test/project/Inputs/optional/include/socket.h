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

void resolve(const char *host);

class Socket {
public:
  void connect(const char *host);
  void bind(const char *host);

private:
  bool thread_safe_ = false;
  std::mutex sync_;
};
