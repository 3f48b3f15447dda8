#include "shared_state.h"

void broken(SharedState &s) {
  std::lock_guard<std::mutex> g(s.mu);
  this is not C++;
}
