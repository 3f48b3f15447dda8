#include <mutex>
#include <unistd.h>
std::mutex mu;
__attribute__((objc_root_class))
@interface Worker
- (void)run;
@end
@implementation Worker
- (void)run {
  std::lock_guard<std::mutex> g(mu);
  usleep(1);
}
@end
void block() {
  std::lock_guard<std::mutex> g(mu);
  void (^b)(void) = ^{ usleep(2); };
  b();
}
void cxx() {
  std::lock_guard<std::mutex> g(mu);
  usleep(3);
}
