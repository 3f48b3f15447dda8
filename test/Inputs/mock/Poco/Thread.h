// A minimal stand-in for Poco::Thread: the members the tests use.
#pragma once
#include "Poco/Runnable.h"
namespace Poco {
class Thread {
public:
  typedef void (*Callable)(void *);
  void start(Runnable &target);
  void start(Callable target, void *data = 0);
  template <class Functor> void startFunc(Functor fn);
  void join();
  bool tryJoin(long milliseconds);
};
} // namespace Poco
