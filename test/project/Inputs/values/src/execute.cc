#include "statement.h"

void Statement::execute() {
  std::lock_guard<std::mutex> g(mu_);
  result_ = std::make_shared<Result>();
}

void Statement::executeAsync() {
  std::lock_guard<std::mutex> g(mu_);
  result_ = std::make_shared<Result>();
}
