#pragma once
#include <mutex>
#include <vector>

// Its private helpers are defined in one file and called from the others,
// as RocksDB's DBImpl calls its *Locked helpers across db_impl_*.cc.
class Store {
public:
  Store();
  void Put(int v);
  void Compact();
  void Reset();
  size_t Size();

private:
  void applyLocked(int v); // store_apply.cc
  void trimLocked();       // store_apply.cc
  void seedLocked();       // store_apply.cc
  void sweepLocked();      // store_sweep.cc
  std::mutex mu_;
  std::vector<int> items_;
  std::vector<int> spare_;
};
