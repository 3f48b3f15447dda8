// Counters recorded by many threads and flushed to a file now and then.
#pragma once
#include <map>
#include <mutex>
#include <string>

class Metrics {
public:
  explicit Metrics(std::string path) : path_(std::move(path)) {}
  void record(const std::string &name, long value);
  long get(const std::string &name) const;
  /// How many distinct counters exist.
  size_t size() const;
  /// Writes a snapshot of all counters to the file and syncs it.
  void flush();
  /// The same, without holding the lock during the I/O.
  void flushWithoutStalling();

private:
  static void writeSnapshot(const std::string &path,
                            const std::map<std::string, long> &counters);
  mutable std::mutex mu_;
  std::map<std::string, long> counters_;
  std::string path_;
};
