#include "instrumented.h"
#include <unistd.h>

class DB {
public:
  void Flush();
  void Quick();

private:
  InstrumentedMutex mu_;
  int pending_ = 0;
};

void DB::Flush() {
  InstrumentedMutexLock l(&mu_);
  ++pending_;
  sleep(1);
}

void DB::Quick() {
  {
    InstrumentedMutexLock l(&mu_);
    ++pending_;
  }
  sleep(1);
}
