#include "store.h"

// A helper of a helper: what its callers hold reaches trimLocked.
void Store::sweepLocked() {
  trimLocked();
  spare_.clear();
}
