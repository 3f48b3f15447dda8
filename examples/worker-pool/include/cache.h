// A read-mostly cache in front of a slow backend.
#pragma once
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

class Cache {
public:
  std::optional<std::string> get(const std::string &key) const;
  void put(const std::string &key, std::string value);
  /// Refreshes one entry from the backend if nobody else is refreshing.
  void refresh(const std::string &key);
  /// Retries a failed refresh after a pause.
  void retryLater(const std::string &key);

private:
  static std::string fetchFromBackend(const std::string &key);
  mutable std::shared_mutex mu_;
  std::mutex refresh_mu_;
  std::unordered_map<std::string, std::string> entries_;
};
