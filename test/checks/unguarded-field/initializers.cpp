// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note: field"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// Two-phase initialisation: Poco's SSLManager::initializeClient() sets the
// default context without a lock, and its header says manual
// initialisation "must happen very early", before defaultClientContext()
// (which locks) runs. A method named for initialisation that takes no lock
// and that the class never calls itself is the application's set-up. A lazy
// init() the class calls from its own methods, one that locks, or a getter
// whose name merely starts with "init" is not.
#include <memory>
#include <mutex>
#include <string>

struct Context {
  std::string name;
};

// Near misses: initializeClient() and Init() are set-up.
class Manager {
public:
  void initializeClient(std::shared_ptr<Context> c, int verify) {
    client_ = std::move(c);
    verify_ = verify;
  }
  void Init(int verify) { verify_ = verify; }
  std::shared_ptr<Context> defaultClient() {
    std::lock_guard<std::mutex> g(mu_);
    if (!client_)
      client_ = std::make_shared<Context>();
    verify_ = 1;
    return client_;
  }

private:
  std::mutex mu_;
  std::shared_ptr<Context> client_;
  int verify_ = 0;
};

// Reported: init() is the class's own lazy set-up, run by get() unlocked.
class Cache {
public:
  const std::string &get() {
    init();
    return value_;
    // CHECK: initializers.cpp:[[@LINE-1]]:12: warning: field 'value_' is read without holding 'mu_'
  }
  void refresh(const std::string &v) {
    std::lock_guard<std::mutex> g(mu_);
    value_ = v;
  }

private:
  void init() {
    if (value_.empty())
      // CHECK: initializers.cpp:[[@LINE-1]]:9: warning: field 'value_' is read without holding 'mu_'
      value_ = "default";
    // CHECK: initializers.cpp:[[@LINE-1]]:7: warning: field 'value_' is written without holding 'mu_'
  }
  std::mutex mu_;
  std::string value_;
};

// Reported: initialized() is a getter, and Initialize() locks, so what it
// leaves unlocked is not set-up.
class Session {
public:
  bool initialized() const { return ready_; }
  // CHECK: initializers.cpp:[[@LINE-1]]:37: note: field 'ready_' is read without holding 'mu_'
  void Initialize(const std::string &user) {
    {
      std::lock_guard<std::mutex> g(mu_);
      ready_ = true;
    }
    user_ = user;
    // CHECK: initializers.cpp:[[@LINE-1]]:5: warning: field 'user_' is written without holding 'mu_'
  }
  std::string user() {
    std::lock_guard<std::mutex> g(mu_);
    return user_;
  }
  void rename(const std::string &user) {
    std::lock_guard<std::mutex> g(mu_);
    user_ = user;
  }

private:
  mutable std::mutex mu_;
  bool ready_ = false;
  std::string user_;
};

int main() {}
