namespace app {
class SpinLock {
public:
  void Acquire();
  void Release();
};
class SpinGuard {
public:
  explicit SpinGuard(SpinLock &l);
  ~SpinGuard();
};
int blockingRpc(int);
} // namespace app

app::SpinLock lock;

int user(int x) {
  app::SpinGuard g(lock);
  return app::blockingRpc(x);
}

int manual(int x) {
  lock.Acquire();
  int r = app::blockingRpc(x);
  lock.Release();
  return r + app::blockingRpc(x);
}
