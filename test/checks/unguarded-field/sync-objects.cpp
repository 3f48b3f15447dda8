// RUN: not %concur --quiet --checks=-*,concur-unguarded-field %s -- %std | FileCheck %s --implicit-check-not="warning:"
// REQUIRES: clang-tidy
// RUN: %frontends_agree --checks=concur-unguarded-field %s -- %std
//
// Synchronisation objects are not data; a member that holds data next to
// a synchronisation object is data, tracked through that member.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <pthread.h>

// A project's own event: a mutex, a condition variable and a private flag.
class Event {
  std::mutex m_;
  std::condition_variable cv_;
  bool set_ = false;

public:
  void set() {
    std::lock_guard<std::mutex> g(m_);
    set_ = true;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> lk(m_);
    cv_.wait(lk, [this] { return set_; });
  }
};

// A counter made of atomics only.
struct Gauge {
  std::atomic<long> value{0};
  std::atomic<bool> dirty{false};
};

// Near misses: the event, an array of them, and the gauge are used
// without the owner's lock; they synchronise themselves.
class Pipeline {
  std::mutex mu_;
  Event ready_;
  Event stages_[2];
  Gauge gauge_;
  int stage_ = 0;

public:
  void advance() {
    std::lock_guard<std::mutex> g(mu_);
    ++stage_;
    ready_.set();
    stages_[0].set();
    gauge_.value++;
  }
  void reset() {
    std::lock_guard<std::mutex> g(mu_);
    stage_ = 0;
  }
  void await() {
    ready_.wait();
    stages_[1].wait();
    gauge_.dirty = true;
  }
};

// A job queue: its deque is data, next to the condition variable that
// signals it. The owner's lock guards it, and pop_front() through the
// member is a write of the member.
struct JobQueue {
  std::deque<int> m_queue;
  std::condition_variable m_cv;
};
class Executor {
  std::mutex m_mutex;
  JobQueue m_jobs;

public:
  void post(int j) {
    std::lock_guard<std::mutex> g(m_mutex);
    m_jobs.m_queue.push_back(j);
    m_jobs.m_cv.notify_one();
  }
  int take() {
    std::unique_lock<std::mutex> lk(m_mutex);
    m_jobs.m_cv.wait(lk, [this] { return !m_jobs.m_queue.empty(); });
    int j = m_jobs.m_queue.front();
    m_jobs.m_queue.pop_front();
    return j;
  }
  void drop() {
    // CHECK: sync-objects.cpp:[[@LINE+1]]:5: warning: field 'm_jobs.m_queue' is written without holding 'm_mutex'
    m_jobs.m_queue.pop_front();
  }
  // Near miss: notifying needs no lock.
  void wake() { m_jobs.m_cv.notify_all(); }
  bool idle() {
    // CHECK: sync-objects.cpp:[[@LINE+1]]:12: warning: field 'm_jobs.m_queue' is read without holding 'm_mutex'
    return m_jobs.m_queue.empty();
  }
};

// The C library's condition variables and barriers are handed to their
// functions by address: that is no write of data. g_ready is.
pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
int g_ready = 0;

void wait_ready() {
  pthread_mutex_lock(&g_mu);
  while (!g_ready)
    pthread_cond_wait(&g_cond, &g_mu);
  pthread_mutex_unlock(&g_mu);
}
void set_ready() {
  pthread_mutex_lock(&g_mu);
  g_ready = 1;
  pthread_mutex_unlock(&g_mu);
  // Near miss: signalling needs no lock.
  pthread_cond_broadcast(&g_cond);
}
void reset_ready() {
  // CHECK: sync-objects.cpp:[[@LINE+1]]:3: warning: variable 'g_ready' is written without holding 'g_mu'
  g_ready = 0;
  pthread_cond_signal(&g_cond);
}

// A lock-free single-producer single-consumer pipe keeps its data private
// and publishes with an atomic (zeromq's ypipe_t): it synchronises itself.
// Producers serialise on the mailbox's lock; the one consumer needs none.
template <typename T> class Pipe {
  T items_[64];
  int w_ = 0, r_ = 0;
  std::atomic<int> published_{0};

public:
  void write(const T &v) { items_[w_++ % 64] = v; }
  void flush() { published_.store(w_, std::memory_order_release); }
  bool read(T &v) {
    if (r_ == published_.load(std::memory_order_acquire))
      return false;
    v = items_[r_++ % 64];
    return true;
  }
};
// The twin: the same buffer without the atomic is plain data.
template <typename T> class Ring {
  T items_[64];
  int w_ = 0, r_ = 0;

public:
  void write(const T &v) { items_[w_++ % 64] = v; }
  bool read(T &v) {
    if (r_ == w_)
      return false;
    v = items_[r_++ % 64];
    return true;
  }
};
class Mailbox {
  std::mutex sync_;
  Pipe<int> pipe_;
  Ring<int> ring_;

public:
  void send(int c) {
    std::lock_guard<std::mutex> g(sync_);
    pipe_.write(c);
    pipe_.flush();
    ring_.write(c);
  }
  void post(int c) {
    std::lock_guard<std::mutex> g(sync_);
    ring_.write(c);
  }
  bool recv(int &c) {
    if (pipe_.read(c))
      return true;
    // CHECK: sync-objects.cpp:[[@LINE+1]]:12: warning: field 'ring_' is written without holding 'sync_'
    return ring_.read(c);
  }
};
