#include "port/mutex.h"
#include <unistd.h>

class Cache {
public:
  void Put() {
    mu_.Lock();
    ++entries_;
    usleep(10);
    mu_.Unlock();
  }
  void Get() {
    mu_.Lock();
    ++hits_;
    mu_.Unlock();
    usleep(10);
  }

private:
  port::Mutex mu_;
  int entries_ = 0, hits_ = 0;
};

void use(Cache &c) {
  c.Put();
  c.Get();
}
