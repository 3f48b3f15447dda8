#include "cache.h"
#include <chrono>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;

std::string Cache::fetchFromBackend(const std::string &key) {
  std::this_thread::sleep_for(20ms); // a slow backend
  return "value-of-" + key;
}

std::optional<std::string> Cache::get(const std::string &key) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end())
    return std::nullopt;
  return it->second;
}

void Cache::put(const std::string &key, std::string value) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  entries_[key] = std::move(value);
}

void Cache::refresh(const std::string &key) {
  std::unique_lock<std::mutex> refreshing(refresh_mu_, std::try_to_lock);
  if (!refreshing)
    return; // Correct: someone else is refreshing; nothing is held here.
  // Holding refresh_mu_ across the fetch is the point: one refresh at a time.
  // NOLINTNEXTLINE(concur-lock-across-blocking-call): reviewed, intended
  std::string value = fetchFromBackend(key);
  put(key, std::move(value));
}

void Cache::retryLater(const std::string &key) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  entries_.erase(key);
  // BUG: readers are blocked for the whole pause; unlock first.
  std::this_thread::sleep_for(100ms);
  lock.unlock();
  refresh(key);
}
