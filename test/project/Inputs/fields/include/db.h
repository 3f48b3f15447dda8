#pragma once
#include <mutex>
#include <string>
#include <vector>

// Its methods are spread over three files, as RocksDB's DBImpl is.
class DB {
public:
  DB();
  void Write(int v);
  void WriteMore(int v);
  void Append(const std::string &s);
  void Flush();
  size_t Backlog() const;
  void Compact();
  void Drain();
  int Peek();
  int Epoch();

private:
  mutable std::mutex mu_;
  int pending_ = 0;
  int compactions_ = 0;
  std::vector<std::string> log_;
  int epoch_ = 0;
};

class Table {
protected:
  std::mutex table_mu_;
  long generation_ = 0;
};

// Its base's field, guarded by its base's lock, written in two files.
class Cache : public Table {
public:
  void Insert();
  void Evict();
  void Reset();
};
