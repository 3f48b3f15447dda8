// Uses none of the project's lock types: a change of their models does
// not concern it.
#include <mutex>
#include <unistd.h>

std::mutex other_mu;
int other_count = 0;

void Tick() {
  std::lock_guard<std::mutex> g(other_mu);
  ++other_count;
}
