// RUN: rm -rf %t && mkdir -p %t && cp %s %t/fixit.cpp
// RUN: not %concur --quiet %t/fixit.cpp -- %std | FileCheck %s --check-prefix=DRIVER --implicit-check-not="fix-it:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
// RUN: %clang_tidy --load=%concur_plugin --checks='-*,concur-nonatomic-flag' --fix %t/fixit.cpp -- %std > /dev/null 2>&1 || true
// RUN: FileCheck %s --check-prefix=FIXED --input-file=%t/fixit.cpp
// RUN: %clangxx -fsyntax-only %std %t/fixit.cpp
// RUN: %concur --quiet --exit-zero --sarif=%t/out.sarif %s -- %std > /dev/null
// RUN: %python -c "import json,sys; r=json.load(open(sys.argv[1]))['runs'][0]['results']; [print(x['locations'][0]['physicalLocation']['region']['startLine'], c['replacements'][0]['deletedRegion']['startLine'], c['replacements'][0]['deletedRegion']['startColumn'], c['replacements'][0]['deletedRegion']['endColumn'], c['replacements'][0]['insertedContent']['text']) for x in r for f in x.get('fixes', []) for c in f['artifactChanges']]" %t/out.sarif | FileCheck %s --check-prefix=SARIF
//
// The fix-it turns the declaration into std::atomic<T> where every use is
// one std::atomic supports as it is; elsewhere the finding has no fix-it.
#include <atomic>
#include <cstdio>
#include <thread>

void work();

class Plain {
  // DRIVER: fix-it:"{{.*}}fixit.cpp":{[[@LINE+3]]:3-[[@LINE+3]]:7}:"std::atomic<bool>"
  // FIXED: std::atomic<bool> stop_ = false;
  // SARIF: 32 [[@LINE+1]] 3 7 std::atomic<bool>
  bool stop_ = false;
  // DRIVER: fix-it:"{{.*}}fixit.cpp":{[[@LINE+2]]:3-[[@LINE+2]]:6}:"std::atomic<int>"
  // FIXED: std::atomic<int> left_{3};
  int left_{3};
  std::thread t_;

public:
  Plain() {
    t_ = std::thread([this] {
      while (!stop_ && left_ > 0)
        work();
    });
  }
  void stop() { stop_ = true; }
  void dec() { --left_; }
  bool stopped() const { return stop_; }
};

// No fix-it: the flag is passed to a variadic function, and volatile.
class Printed {
  // FIXED: bool done_ = false;
  bool done_ = false;
  // FIXED: volatile bool quit_ = false;
  volatile bool quit_ = false;
  std::thread t_;

public:
  Printed() {
    t_ = std::thread([this] {
      while (!done_ && !quit_)
        work();
    });
  }
  void finish() {
    done_ = true;
    quit_ = true;
    std::printf("%d\n", done_);
  }
};

// No fix-it: a copy of the class would stop compiling.
struct Copied {
  // FIXED: bool on = true;
  bool on = true;
  void run() {
    std::thread t([this] {
      while (on)
        work();
    });
    t.detach();
  }
  void off() { on = false; }
};
Copied copyOf(const Copied &c) { return c; }
