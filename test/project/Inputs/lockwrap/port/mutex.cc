#include "port/mutex.h"

namespace port {
Mutex::Mutex() { pthread_mutex_init(&mu_, nullptr); }
Mutex::~Mutex() { pthread_mutex_destroy(&mu_); }
void Mutex::Lock() { pthread_mutex_lock(&mu_); }
void Mutex::Unlock() { pthread_mutex_unlock(&mu_); }
void Mutex::AssertHeld() {}
} // namespace port
