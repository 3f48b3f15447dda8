#include <memory>
#include <mutex>
#include <vector>

struct Result {
  int rows() const { return 0; }
};

class Statement {
public:
  Statement() = default;
  Statement(const Statement &other);
  void execute();
  void executeAsync();
  int wait();

private:
  std::shared_ptr<Result> result_;
  std::vector<int> args_;
  std::mutex mu_;
};
