#include "warm_up.h"
#include "wait_group.h"
#include <string>
#include <thread>
#include <vector>

void warmUp(Cache &cache, int keys) {
  WaitGroup wg;
  std::vector<std::thread> threads;
  for (int i = 0; i < keys; ++i) {
    wg.Add(1);
    threads.emplace_back([&wg, &cache, i] {
      std::string key = "k" + std::to_string(i);
      if (cache.get(key))
        return; // already warm: but nobody calls Done, so Wait never returns
      cache.refresh(key);
      wg.Done();
    });
  }
  wg.Wait();
  for (std::thread &t : threads)
    t.join();
}
