// RUN: not %concur --quiet --checks=-*,concur-waitgroup-unpaired %s -- %std -isystem %S/../../Inputs/mock | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-waitgroup-unpaired %s -- %std -isystem %S/../../Inputs/mock
//
// Count drift: the count is added once for every iteration of a loop (the
// container's size, or a constant trip count), but some iterations do not
// spawn the task that counts it down: a `continue` on a filter, a `break`
// on an error, a spawn under an `if`. The wait never returns.
#include <absl/synchronization/blocking_counter.h>
#include <cstddef>
#include <iterator>
#include <latch>
#include <string>
#include <thread>
#include <vector>

namespace gosync {
class WaitGroup {
public:
  void Add(int n = 1);
  void Done();
  void Wait();
};
} // namespace gosync

bool wanted(const std::string &s);
bool failed(int i);
void handle(const std::string &s);
void handleIndex(int i);
void skipOne(gosync::WaitGroup &wg) { wg.Done(); }

// --- continue -------------------------------------------------------------

void rangeForContinue(const std::vector<std::string> &items) {
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(items.size()));
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    if (!wanted(item))
      // CHECK: loop-drift.cpp:[[@LINE+3]]:7: warning: this 'continue' skips spawning the task that counts 'wg' down, but 'wg' was counted up once for every iteration of the loop; a wait on 'wg' then never returns [concur-waitgroup-unpaired]
      // CHECK: loop-drift.cpp:[[@LINE-5]]:6: note: 'wg' is counted up here, once for each iteration
      // CHECK: loop-drift.cpp:[[@LINE+2]]:13: note: the task that counts 'wg' down is spawned here
      continue;
    threads.emplace_back([&wg, &item] {
      handle(item);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void latchIndexContinue(const std::vector<std::string> &items) {
  std::latch done(items.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].empty())
      // CHECK: loop-drift.cpp:[[@LINE+3]]:7: warning: this 'continue' skips spawning the task that counts 'done' down, but 'done' was counted up once for every iteration of the loop; a wait on 'done' then never returns [concur-waitgroup-unpaired]
      // CHECK: loop-drift.cpp:[[@LINE-5]]:14: note: 'done' gets its count here, one for each iteration
      // CHECK: loop-drift.cpp:[[@LINE+2]]:13: note: the task that counts 'done' down is spawned here
      continue;
    threads.emplace_back([&done, &items, i] {
      handle(items[i]);
      done.count_down();
    });
  }
  done.wait();
  for (auto &t : threads)
    t.join();
}

void counterIteratorContinue(std::vector<std::string> &items) {
  absl::BlockingCounter pending(static_cast<int>(items.size()));
  std::vector<std::thread> threads;
  for (auto it = items.begin(); it != items.end(); ++it) {
    if (it->empty())
      // CHECK: loop-drift.cpp:[[@LINE+3]]:7: warning: this 'continue' skips spawning the task that counts 'pending' down, but 'pending' was counted up once for every iteration of the loop; a wait on 'pending' then never returns [concur-waitgroup-unpaired]
      // CHECK: loop-drift.cpp:[[@LINE-5]]:25: note: 'pending' gets its count here, one for each iteration
      // CHECK: loop-drift.cpp:[[@LINE+2]]:13: note: the task that counts 'pending' down is spawned here
      continue;
    threads.emplace_back([&pending, it] {
      handle(*it);
      pending.DecrementCount();
    });
  }
  pending.Wait();
  for (auto &t : threads)
    t.join();
}

void countComputedBeforeTheLoop(const std::vector<std::string> &items) {
  const auto n = std::distance(items.begin(), items.end());
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(n));
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    if (!wanted(item))
      // CHECK: loop-drift.cpp:[[@LINE+3]]:7: warning: this 'continue' skips spawning the task that counts 'wg' down, but 'wg' was counted up once for every iteration of the loop; a wait on 'wg' then never returns [concur-waitgroup-unpaired]
      // CHECK: loop-drift.cpp:[[@LINE-5]]:6: note: 'wg' is counted up here, once for each iteration
      // CHECK: loop-drift.cpp:[[@LINE+2]]:13: note: the task that counts 'wg' down is spawned here
      continue;
    threads.emplace_back([&wg, &item] {
      handle(item);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

// --- break ----------------------------------------------------------------

void indexLoopBreak(const std::vector<std::string> &items) {
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(items.size()));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (failed(static_cast<int>(i)))
      // CHECK: loop-drift.cpp:[[@LINE+3]]:7: warning: this 'break' leaves the loop before the remaining iterations spawn their tasks, but 'wg' was counted up once for every iteration of the loop; a wait on 'wg' then never returns [concur-waitgroup-unpaired]
      // CHECK: loop-drift.cpp:[[@LINE-5]]:6: note: 'wg' is counted up here, once for each iteration
      // CHECK: loop-drift.cpp:[[@LINE+2]]:13: note: the task that counts 'wg' down is spawned here
      break;
    threads.emplace_back([&wg, &items, i] {
      handle(items[i]);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void latchBreakAfterSpawn(const std::vector<std::string> &items) {
  std::latch done(items.size());
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    threads.emplace_back([&done, &item] {
      handle(item);
      done.count_down();
    });
    if (!wanted(item))
      // CHECK: loop-drift.cpp:[[@LINE+3]]:7: warning: this 'break' leaves the loop before the remaining iterations spawn their tasks, but 'done' was counted up once for every iteration of the loop; a wait on 'done' then never returns [concur-waitgroup-unpaired]
      // CHECK: loop-drift.cpp:[[@LINE-9]]:14: note: 'done' gets its count here, one for each iteration
      // CHECK: loop-drift.cpp:[[@LINE-7]]:13: note: the task that counts 'done' down is spawned here
      break;
  }
  done.wait();
  for (auto &t : threads)
    t.join();
}

// --- a spawn under an if ----------------------------------------------------

void conditionalSpawn(const std::vector<std::string> &items) {
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(items.size()));
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    // CHECK: loop-drift.cpp:[[@LINE+3]]:9: warning: when this condition skips the spawn, the iteration spawns no task to count 'wg' down, but 'wg' was counted up once for every iteration of the loop; a wait on 'wg' then never returns [concur-waitgroup-unpaired]
    // CHECK: loop-drift.cpp:[[@LINE-4]]:6: note: 'wg' is counted up here, once for each iteration
    // CHECK: loop-drift.cpp:[[@LINE+2]]:15: note: the task that counts 'wg' down is spawned here
    if (wanted(item)) {
      threads.emplace_back([&wg, &item] {
        handle(item);
        wg.Done();
      });
    }
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void counterConditionalSpawn(const std::vector<std::string> &items) {
  absl::BlockingCounter pending(items.size());
  std::vector<std::thread> threads;
  for (const std::string &item : items)
    // CHECK: loop-drift.cpp:[[@LINE+3]]:9: warning: when this condition skips the spawn, the iteration spawns no task to count 'pending' down, but 'pending' was counted up once for every iteration of the loop; a wait on 'pending' then never returns [concur-waitgroup-unpaired]
    // CHECK: loop-drift.cpp:[[@LINE-4]]:25: note: 'pending' gets its count here, one for each iteration
    // CHECK: loop-drift.cpp:[[@LINE+2]]:15: note: the task that counts 'pending' down is spawned here
    if (wanted(item))
      threads.emplace_back([&pending, &item] {
        handle(item);
        pending.DecrementCount();
      });
  pending.Wait();
  for (auto &t : threads)
    t.join();
}

void constantTripCount() {
  gosync::WaitGroup wg;
  wg.Add(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    if (i % 2 == 1)
      // CHECK: loop-drift.cpp:[[@LINE+3]]:7: warning: this 'continue' skips spawning the task that counts 'wg' down, but 'wg' was counted up once for every iteration of the loop; a wait on 'wg' then never returns [concur-waitgroup-unpaired]
      // CHECK: loop-drift.cpp:[[@LINE-5]]:6: note: 'wg' is counted up here, once for each iteration
      // CHECK: loop-drift.cpp:[[@LINE+2]]:13: note: the task that counts 'wg' down is spawned here
      continue;
    threads.emplace_back([&wg, i] {
      handleIndex(i);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void workerFunction(gosync::WaitGroup &wg, const std::string &item) {
  handle(item);
  wg.Done();
}

void memberOfLoopWithWorker(const std::vector<std::string> &items) {
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(items.size()));
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    if (!wanted(item))
      // CHECK: loop-drift.cpp:[[@LINE+3]]:7: warning: this 'continue' skips spawning the task that counts 'wg' down, but 'wg' was counted up once for every iteration of the loop; a wait on 'wg' then never returns [concur-waitgroup-unpaired]
      // CHECK: loop-drift.cpp:[[@LINE-5]]:6: note: 'wg' is counted up here, once for each iteration
      // CHECK: loop-drift.cpp:[[@LINE+2]]:13: note: the task that counts 'wg' down is spawned here
      continue;
    threads.emplace_back(workerFunction, std::ref(wg), std::cref(item));
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void boundIsTheCount(int n) {
  gosync::WaitGroup wg;
  wg.Add(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    if (failed(i) && i > 0)
      // CHECK: loop-drift.cpp:[[@LINE+3]]:7: warning: this 'continue' skips spawning the task that counts 'wg' down, but 'wg' was counted up once for every iteration of the loop; a wait on 'wg' then never returns [concur-waitgroup-unpaired]
      // CHECK: loop-drift.cpp:[[@LINE-5]]:6: note: 'wg' is counted up here, once for each iteration
      // CHECK: loop-drift.cpp:[[@LINE+2]]:13: note: the task that counts 'wg' down is spawned here
      continue;
    threads.emplace_back([&wg, i] {
      handleIndex(i);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void nestedBranches(const std::vector<std::string> &items) {
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(items.size()));
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    handle(item);
    // CHECK: loop-drift.cpp:[[@LINE+3]]:9: warning: when this condition skips the spawn, the iteration spawns no task to count 'wg' down, but 'wg' was counted up once for every iteration of the loop; a wait on 'wg' then never returns [concur-waitgroup-unpaired]
    // CHECK: loop-drift.cpp:[[@LINE-5]]:6: note: 'wg' is counted up here, once for each iteration
    // CHECK: loop-drift.cpp:[[@LINE+3]]:17: note: the task that counts 'wg' down is spawned here
    if (!item.empty()) {
      if (wanted(item) && item.size() > 2)
        threads.emplace_back([&wg, &item] {
          handle(item);
          wg.Done();
        });
    }
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

class Fetcher {
public:
  void fetchAll() {
    wg_.Add(static_cast<int>(keys_.size()));
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i].empty())
        // CHECK: loop-drift.cpp:[[@LINE+3]]:9: warning: this 'continue' skips spawning the task that counts 'wg_' down, but 'wg_' was counted up once for every iteration of the loop; a wait on 'wg_' then never returns [concur-waitgroup-unpaired]
        // CHECK: loop-drift.cpp:[[@LINE-4]]:9: note: 'wg_' is counted up here, once for each iteration
        // CHECK: loop-drift.cpp:[[@LINE+2]]:16: note: the task that counts 'wg_' down is spawned here
        continue;
      threads_.emplace_back([this, i] {
        handle(keys_[i]);
        wg_.Done();
      });
    }
    wg_.Wait();
  }

private:
  gosync::WaitGroup wg_;
  std::vector<std::string> keys_;
  std::vector<std::thread> threads_;
};

// --- near misses: nothing to report ----------------------------------------

void skipCountsDown(const std::vector<std::string> &items) {
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(items.size()));
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    if (!wanted(item)) {
      wg.Done();
      continue;
    }
    threads.emplace_back([&wg, &item] {
      handle(item);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void latchSkipCountsDown(const std::vector<std::string> &items) {
  std::latch done(items.size());
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    if (!wanted(item)) {
      done.count_down();
      continue;
    }
    threads.emplace_back([&done, &item] {
      handle(item);
      done.count_down();
    });
  }
  done.wait();
  for (auto &t : threads)
    t.join();
}

void skipCountsDownThroughHelper(const std::vector<std::string> &items) {
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(items.size()));
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    if (!wanted(item)) {
      skipOne(wg);
      continue;
    }
    threads.emplace_back([&wg, &item] {
      handle(item);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void branchCountsDownElse(const std::vector<std::string> &items) {
  absl::BlockingCounter pending(items.size());
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    if (wanted(item))
      threads.emplace_back([&pending, &item] {
        handle(item);
        pending.DecrementCount();
      });
    else
      pending.DecrementCount();
  }
  pending.Wait();
  for (auto &t : threads)
    t.join();
}

void countAdjustedInLoop(const std::vector<std::string> &items) {
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(items.size()));
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    if (!wanted(item)) {
      wg.Add(-1);
      continue;
    }
    threads.emplace_back([&wg, &item] {
      handle(item);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void breakAdjustsCount(const std::vector<std::string> &items) {
  std::latch done(items.size());
  std::vector<std::thread> threads;
  std::size_t spawned = 0;
  for (const std::string &item : items) {
    if (!wanted(item)) {
      done.count_down(static_cast<std::ptrdiff_t>(items.size() - spawned));
      break;
    }
    threads.emplace_back([&done, &item] {
      handle(item);
      done.count_down();
    });
    ++spawned;
  }
  done.wait();
  for (auto &t : threads)
    t.join();
}

void addPerIteration(const std::vector<std::string> &items) {
  gosync::WaitGroup wg;
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    if (!wanted(item))
      continue;
    wg.Add(1);
    threads.emplace_back([&wg, &item] {
      handle(item);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void loopCannotSkip(const std::vector<std::string> &items) {
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(items.size()));
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    bool w = wanted(item); // a branch that does not decide the spawn
    if (w)
      handle(item);
    threads.emplace_back([&wg, &item] {
      handle(item);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void countUnrelatedToLoop(const std::vector<std::string> &items,
                          const std::vector<std::string> &others) {
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(others.size()));
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    if (!wanted(item))
      continue;
    threads.emplace_back([&wg, &item] {
      handle(item);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void constantCountDiffers() {
  // 2 counted, 4 iterations of which 2 spawn: no evidence the count is
  // meant per iteration.
  gosync::WaitGroup wg;
  wg.Add(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    if (i % 2 == 1)
      continue;
    threads.emplace_back([&wg, i] {
      handleIndex(i);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void skippedIterationsCountedDownAfter(const std::vector<std::string> &items) {
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(items.size()));
  std::vector<std::thread> threads;
  int skipped = 0;
  for (const std::string &item : items) {
    if (!wanted(item)) {
      ++skipped;
      continue;
    }
    threads.emplace_back([&wg, &item] {
      handle(item);
      wg.Done();
    });
  }
  for (int i = 0; i < skipped; ++i)
    wg.Done();
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void addAfterTheLoop(const std::vector<std::string> &items) {
  gosync::WaitGroup wg;
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    if (!wanted(item))
      continue;
    threads.emplace_back([&wg, &item] {
      handle(item);
      wg.Done();
    });
  }
  wg.Add(static_cast<int>(items.size())); // late, but not count drift
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void filteredBeforeCounting(const std::vector<std::string> &items) {
  std::vector<std::string> chosen;
  for (const std::string &item : items)
    if (wanted(item))
      chosen.push_back(item);
  std::latch done(chosen.size());
  std::vector<std::thread> threads;
  for (const std::string &item : chosen)
    threads.emplace_back([&done, &item] {
      handle(item);
      done.count_down();
    });
  done.wait();
  for (auto &t : threads)
    t.join();
}

void returnInsteadOfBreak(const std::vector<std::string> &items) {
  // Leaving the function skips the wait too: not the hang this reports.
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(items.size()));
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    if (!wanted(item))
      return;
    threads.emplace_back([&wg, &item] {
      handle(item);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void continueOfAnInnerLoop(const std::vector<std::string> &items) {
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(items.size()));
  std::vector<std::thread> threads;
  for (const std::string &item : items) {
    for (char c : item) {
      if (c == ' ')
        continue; // the inner loop's
      if (c == '#')
        break;    // the inner loop's
    }
    threads.emplace_back([&wg, &item] {
      handle(item);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}

void whileLoop(std::vector<std::string> &items) {
  // No trip count concur can tell.
  gosync::WaitGroup wg;
  wg.Add(static_cast<int>(items.size()));
  std::vector<std::thread> threads;
  auto it = items.begin();
  while (it != items.end()) {
    auto cur = it++;
    if (cur->empty())
      continue;
    threads.emplace_back([&wg, cur] {
      handle(*cur);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &t : threads)
    t.join();
}
