// RUN: not %concur --quiet %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree %s -- %std
//
// I/O on a descriptor the function made non-blocking returns at once: O_NONBLOCK
// at open, fcntl(fd, F_SETFL, ... | O_NONBLOCK), SOCK_NONBLOCK at socket or
// accept4, MSG_DONTWAIT on the call itself. A descriptor known to be -1 on
// the path fails at once too. Everything else may block.
#include <fcntl.h>
#include <mutex>
#include <sys/socket.h>
#include <unistd.h>

std::mutex mu;

void openedNonBlocking(const char *path, char *buf) {
  int fd = open(path, O_RDONLY | O_NONBLOCK);
  std::lock_guard<std::mutex> g(mu);
  read(fd, buf, 1); // near miss
  write(fd, buf, 1); // near miss
}

void openedBlocking(const char *path, char *buf) {
  int fd = open(path, O_RDONLY);
  std::lock_guard<std::mutex> g(mu);
  // CHECK: nonblocking-descriptors.cpp:[[@LINE+1]]:3: warning: call to 'read' may block while holding lock 'mu'
  read(fd, buf, 1);
}

void setByFcntl(int fd, char *buf) {
  std::lock_guard<std::mutex> g(mu);
  // CHECK: nonblocking-descriptors.cpp:[[@LINE+1]]:3: warning: call to 'read' may block while holding lock 'mu'
  read(fd, buf, 1);
  int flags = fcntl(fd, F_GETFL, 0);
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  read(fd, buf, 1); // near miss: non-blocking from here on
  fcntl(fd, F_GETFL);
  read(fd, buf, 1); // near miss: reading the flags changes nothing
  fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  // CHECK: nonblocking-descriptors.cpp:[[@LINE+1]]:3: warning: call to 'read' may block while holding lock 'mu'
  read(fd, buf, 1);
}

void sockets(char *buf) {
  int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int b = socket(AF_INET, SOCK_STREAM, 0);
  std::lock_guard<std::mutex> g(mu);
  accept(s, nullptr, nullptr); // near miss
  recv(s, buf, 1, 0);          // near miss
  // CHECK: nonblocking-descriptors.cpp:[[@LINE+1]]:3: warning: call to 'accept' may block while holding lock 'mu'
  accept(b, nullptr, nullptr);
  // CHECK: nonblocking-descriptors.cpp:[[@LINE+1]]:3: warning: call to 'recv' may block while holding lock 'mu'
  recv(b, buf, 1, 0);
  recv(b, buf, 1, MSG_DONTWAIT);          // near miss
  send(b, buf, 1, MSG_DONTWAIT | MSG_NOSIGNAL); // near miss
}

void accepted(int listener, char *buf) {
  std::lock_guard<std::mutex> g(mu);
  // CHECK: nonblocking-descriptors.cpp:[[@LINE+1]]:16: warning: call to 'accept4' may block while holding lock 'mu'
  int client = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
  read(client, buf, 1); // near miss: the accepted descriptor is non-blocking
  // CHECK: nonblocking-descriptors.cpp:[[@LINE+1]]:15: warning: call to 'accept4' may block while holding lock 'mu'
  int other = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  // CHECK: nonblocking-descriptors.cpp:[[@LINE+1]]:3: warning: call to 'read' may block while holding lock 'mu'
  read(other, buf, 1);
}

void invalidDescriptor(const char *path, char *buf, bool b) {
  int fd = -1;
  std::lock_guard<std::mutex> g(mu);
  read(fd, buf, 1); // near miss: fails at once
  read(-1, buf, 1); // near miss
  if (b)
    fd = open(path, O_RDONLY);
  // CHECK: nonblocking-descriptors.cpp:[[@LINE+1]]:3: warning: call to 'read' may block while holding lock 'mu'
  read(fd, buf, 1);
}

void copiedDescriptor(const char *path, char *buf) {
  int fd = open(path, O_RDONLY | O_NONBLOCK);
  int copy = fd;
  std::lock_guard<std::mutex> g(mu);
  read(copy, buf, 1); // near miss
  copy = open(path, O_RDONLY);
  // CHECK: nonblocking-descriptors.cpp:[[@LINE+1]]:3: warning: call to 'read' may block while holding lock 'mu'
  read(copy, buf, 1);
}

// Near miss: a helper that receives with MSG_DONTWAIT does not block.
void poll_once(int fd, char *buf) { recv(fd, buf, 1, MSG_DONTWAIT); }
void callsPollOnce(int fd, char *buf) {
  std::lock_guard<std::mutex> g(mu);
  poll_once(fd, buf);
}

// A helper that makes its own descriptor non-blocking does not block its
// caller; one that reads a blocking descriptor does.
void readNonBlocking(const char *path, char *buf) {
  int fd = open(path, O_RDONLY);
  fcntl(fd, F_SETFL, O_NONBLOCK);
  read(fd, buf, 1);
}
void readBlocking(const char *path, char *buf) {
  int fd = open(path, O_RDONLY);
  read(fd, buf, 1);
}
void callsReaders(const char *path, char *buf) {
  std::lock_guard<std::mutex> g(mu);
  readNonBlocking(path, buf); // near miss
  // CHECK: nonblocking-descriptors.cpp:[[@LINE+1]]:3: warning: call to 'readBlocking' may block while holding lock 'mu' (it calls 'read')
  readBlocking(path, buf);
}
