// RUN: rm -rf %t && mkdir -p %t && cp %s %t/fixit.cpp
// RUN: not %concur --quiet --checks='-*,concur-atomic-check-then-act' %t/fixit.cpp -- %std | FileCheck %s --check-prefix=DRIVER --implicit-check-not="fix-it:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
// RUN: %clang_tidy --load=%concur_plugin --checks='-*,concur-atomic-check-then-act' --fix %t/fixit.cpp -- %std > /dev/null 2>&1 || true
// RUN: FileCheck %s --check-prefix=FIXED --input-file=%t/fixit.cpp
// RUN: %clangxx -fsyntax-only %std %t/fixit.cpp
//
// A load-then-store that one read-modify-write does exactly becomes it:
// `a.store(a.load() OP n)` and `a = a OP n` become `a.fetch_OP(n)`, and the
// test-and-set `if (!f) { f = true; ... }` becomes `if (!f.exchange(true))`.
// Everywhere else the finding has no fix-it.
#include <atomic>

void work();

std::atomic<int> total{0};
std::atomic<unsigned> mask{0};
std::atomic<long> level{0};
std::atomic<bool> once{false};
std::atomic<bool> armed{false};

void add() {
  // DRIVER: fix-it:"{{.*}}fixit.cpp":{[[@LINE+2]]:3-[[@LINE+2]]:32}:"total.fetch_add(5)"
  // FIXED: {{^}}  total.fetch_add(5);
  total.store(total.load() + 5);
}

void flags(unsigned m) {
  // DRIVER: fix-it:"{{.*}}fixit.cpp":{[[@LINE+2]]:3-[[@LINE+2]]:37}:"mask.fetch_or(m & 3u)"
  // FIXED: {{^}}  mask.fetch_or(m & 3u);
  mask.store(mask.load() | (m & 3u));
  // DRIVER: fix-it:"{{.*}}fixit.cpp":{[[@LINE+2]]:3-[[@LINE+2]]:19}:"mask.fetch_xor(1u)"
  // FIXED: {{^}}  mask.fetch_xor(1u);
  mask = mask ^ 1u;
}

void lower(std::atomic<long> *p) {
  // DRIVER: fix-it:"{{.*}}fixit.cpp":{[[@LINE+2]]:3-[[@LINE+2]]:26}:"p->fetch_sub(2)"
  // FIXED: {{^}}  p->fetch_sub(2);
  p->store(p->load() - 2);
}

void initOnce() {
  // DRIVER: fix-it:"{{.*}}fixit.cpp":{[[@LINE+6]]:8-[[@LINE+6]]:12}:"once.exchange(true)"
  // DRIVER: fix-it:"{{.*}}fixit.cpp":{[[@LINE+6]]:1-[[@LINE+6]]:17}:""
  // FIXED: {{^}}  if (!once.exchange(true)) {
  // FIXED-EMPTY:
  // FIXED-NEXT: {{^}}    work();
  // FIXED-NEXT: {{^}}  }
  if (!once) {
    once = true;
    work();
  }
}

void arm() {
  // DRIVER: fix-it:"{{.*}}fixit.cpp":{[[@LINE+5]]:8-[[@LINE+5]]:20}:"armed.exchange(true)"
  // DRIVER: fix-it:"{{.*}}fixit.cpp":{[[@LINE+5]]:1-[[@LINE+5]]:23}:""
  // FIXED: {{^}}  if (!armed.exchange(true)) {
  // FIXED-EMPTY:
  // FIXED-NEXT: {{^}}    work();
  if (!armed.load()) {
    armed.store(true);
    work();
  }
}

// ---- findings without a fix-it ----
void noFix(int k) {
  // FIXED: {{^}}  total.store(total.load() + 1, std::memory_order_release);
  total.store(total.load() + 1, std::memory_order_release); // an order to keep
  // FIXED: {{^}}  total.store(total.load() * 2);
  total.store(total.load() * 2); // no fetch_mul
  // FIXED: {{^}}  total.store(k + total.load());
  total.store(k + total.load());
  int v = level.load();
  // FIXED: {{^}}  level.store(v + 1);
  level.store(v + 1); // through a local
  // FIXED: {{^}}  int w = (level = level + 1);
  int w = (level = level + 1); // the new value is used
  (void)w;
}

void notExactlyTestAndSet() {
  // FIXED: {{^}}  if (!once) {
  if (!once) {
    work(); // the store is not first
    once = true;
  }
  // FIXED: {{^}}  if (!armed.load(std::memory_order_acquire)) {
  if (!armed.load(std::memory_order_acquire)) {
    armed.store(true);
    work();
  }
  // FIXED: {{^}}  if (once.load() == false) {
  if (once.load() == false) {
    once.store(true);
    work();
  }
}
