// A minimal stand-in for Poco::ThreadPool.
#pragma once
#include "Poco/Runnable.h"
namespace Poco {
class ThreadPool {
public:
  void start(Runnable &target);
  void joinAll();
};
} // namespace Poco
