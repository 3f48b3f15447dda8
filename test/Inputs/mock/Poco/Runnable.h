// A minimal stand-in for Poco::Runnable.
#pragma once
namespace Poco {
class Runnable {
public:
  virtual ~Runnable() {}
  virtual void run() = 0;
};
} // namespace Poco
