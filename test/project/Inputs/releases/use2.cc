#include "waits.h"

void drainTwice() {
  drainUnderLock();
  drainUnderLock();
}
