#include "cache.h"
#include "metrics.h"
#include "warm_up.h"
#include "worker_pool.h"
#include <cstdio>

int main() {
  Metrics metrics("/tmp/worker-pool-metrics.txt");
  Cache cache;
  warmUp(cache, 10);
  {
    WorkerPool pool(4);
    for (int i = 0; i < 100; ++i)
      pool.submit([&metrics, &cache, i] {
        metrics.record("tasks", 1);
        std::string key = "k" + std::to_string(i % 10);
        if (!cache.get(key))
          cache.refresh(key);
      });
    pool.drain();
    std::printf("pending after drain: %zu\n", pool.pending());
  }
  metrics.flushWithoutStalling();
  std::printf("tasks: %ld (%zu counters)\n", metrics.get("tasks"), metrics.size());
  return 0;
}
