#include "instrumented.h"

void InstrumentedMutex::LockInternal() { mutex_.Lock(); }
void InstrumentedMutex::Lock() {
  ++waits_;
  LockInternal();
}
void InstrumentedMutex::Unlock() { mutex_.Unlock(); }
