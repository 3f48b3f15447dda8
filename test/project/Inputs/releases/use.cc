#include "waits.h"

std::mutex a, b;
std::condition_variable cv;
Box box;

void releasesTheOnlyLock() {
  std::unique_lock<std::mutex> lk(a);
  waitOn(cv, lk);
}

void keepsAnother() {
  std::lock_guard<std::mutex> g(b);
  std::unique_lock<std::mutex> lk(a);
  waitOn(cv, lk);
}

void memberReleased() {
  std::lock_guard<std::mutex> g(box.mu);
  box.waitReady();
}

void memberOfAnother(Box &other) {
  std::lock_guard<std::mutex> g(box.mu);
  other.waitReady();
}
