#include "waits.h"

void drainTwice() {
  drainUnderLock();
  drainUnderLock();
}

std::mutex helper_mu;

// Defined here, but blocks through a function of another file.
static void stopAll() { sleepABit(); }

void drainViaHelper() {
  std::lock_guard<std::mutex> g(helper_mu);
  stopAll();
}

void ping(int n) { pong(n); }
void tick(int n) { tock(n); }

void recursion() {
  std::lock_guard<std::mutex> g(helper_mu);
  ping(3); // never blocks, however deep
  tick(3);
}
