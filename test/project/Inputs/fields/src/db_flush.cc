#include "db.h"

// No access to pending_ in this file holds mu_: alone, it has no evidence.
void DB::Flush() {
  pending_ = 0;
}

size_t DB::Backlog() const {
  return log_.size();
}

// A read of a scalar: a note.
int DB::Peek() { return pending_; }

// Near miss: one write under the lock in another file is too little to
// say that mu_ guards epoch_.
int DB::Epoch() { return epoch_; }
