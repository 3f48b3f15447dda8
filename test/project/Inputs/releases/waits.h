#pragma once
#include <condition_variable>
#include <mutex>

// Waits on cv, giving lk's lock back while it waits.
void waitOn(std::condition_variable &cv, std::unique_lock<std::mutex> &lk);

struct Box {
  std::mutex mu;
  std::condition_variable_any cv;
  bool ready = false;
  // Waits on cv with the box's own lock, which its caller holds.
  void waitReady();
};

void sleepABit();

extern std::mutex drain_mu;

// Seen by two translation units: its finding is reported once.
inline void drainUnderLock() {
  std::lock_guard<std::mutex> g(drain_mu);
  sleepABit();
}

// Mutually recursive with ping and tick (in use2.cc).
void ping(int n);
void pong(int n);
void tick(int n);
void tock(int n);
