#include "metrics.h"
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

void Metrics::record(const std::string &name, long value) {
  std::lock_guard<std::mutex> lock(mu_);
  counters_[name] += value;
}

long Metrics::get(const std::string &name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = counters_.find(name);
  return it == counters_.end() ? 0 : it->second;
}

size_t Metrics::size() const {
  // BUG: counters_ is modified under mu_ by record(); reading its size
  // without the lock races with a rebalancing insert.
  return counters_.size();
}

void Metrics::writeSnapshot(const std::string &path,
                            const std::map<std::string, long> &counters) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    return;
  for (const auto &[name, value] : counters) {
    char line[256];
    int n = std::snprintf(line, sizeof line, "%s %ld\n", name.c_str(), value);
    if (::write(fd, line, n) != n)
      break;
  }
  ::fsync(fd);
  ::close(fd);
}

void Metrics::flush() {
  std::lock_guard<std::mutex> lock(mu_);
  // BUG: every record() call stalls behind the disk while this holds mu_.
  writeSnapshot(path_, counters_);
}

void Metrics::flushWithoutStalling() {
  std::map<std::string, long> copy;
  {
    std::lock_guard<std::mutex> lock(mu_);
    copy = counters_;
  }
  writeSnapshot(path_, copy); // Correct: the lock's scope has ended.
}
