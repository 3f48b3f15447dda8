// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// C library and POSIX functions are matched as the Clang Static Analyzer
// matches them: a function of that name in the global namespace (or in
// std) is the library's, whatever the linkage of its declaration. Code that
// declares them itself in C++, without extern "C", is analysed the same.
// A function of that name in another namespace, a member, or one that is
// not visible outside its file is not the library's.
typedef struct { int opaque[10]; } pthread_mutex_t;
int pthread_mutex_lock(pthread_mutex_t *);
int pthread_mutex_unlock(pthread_mutex_t *);
unsigned sleep(unsigned);
int usleep(unsigned);
long read(int, void *, unsigned long);
long recv(int, void *, unsigned long, int);
struct FILE;
char *fgets(char *, int, FILE *);
int getc(FILE *);
namespace std {
using ::FILE;
int getc(FILE *);
} // namespace std

pthread_mutex_t mu;

void sleeps() {
  pthread_mutex_lock(&mu);
  // CHECK: c-library-declarations.cpp:[[@LINE+1]]:3: warning: call to 'sleep' blocks while holding lock 'mu'
  sleep(1);
  // CHECK: c-library-declarations.cpp:[[@LINE-3]]:3: note: lock 'mu' acquired here
  // CHECK: c-library-declarations.cpp:[[@LINE+1]]:3: warning: call to 'usleep' blocks while holding lock 'mu'
  usleep(10);
  pthread_mutex_unlock(&mu);
  sleep(1); // near miss: unlocked
}

void io(int fd, char *buf, FILE *f) {
  pthread_mutex_lock(&mu);
  // CHECK: c-library-declarations.cpp:[[@LINE+1]]:3: warning: call to 'read' may block while holding lock 'mu'
  read(fd, buf, 1);
  // CHECK: c-library-declarations.cpp:[[@LINE+1]]:3: warning: call to 'recv' may block while holding lock 'mu'
  recv(fd, buf, 1, 0);
  // CHECK: c-library-declarations.cpp:[[@LINE+1]]:3: warning: call to 'fgets' may block while holding lock 'mu'
  fgets(buf, 1, f);
  // CHECK: c-library-declarations.cpp:[[@LINE+1]]:3: warning: call to 'std::getc' may block while holding lock 'mu'
  std::getc(f);
  pthread_mutex_unlock(&mu);
}

// Near misses: same names, not the C library's.
namespace storage {
long read(int, void *, unsigned long);
void sleep(int);
} // namespace storage
struct Stream {
  long read(void *, unsigned long);
  static void sleep(int);
};
static long pread(int, void *, unsigned long, long) { return 0; }
namespace {
int getchar() { return 0; }
} // namespace

void notTheLibrary(int fd, char *buf, Stream &s) {
  pthread_mutex_lock(&mu);
  storage::read(fd, buf, 1);
  storage::sleep(1);
  s.read(buf, 1);
  Stream::sleep(1);
  pread(fd, buf, 1, 0);
  getchar();
  pthread_mutex_unlock(&mu);
}
