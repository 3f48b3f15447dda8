#include "emitter.h"

// Removes slots through the emitter, which holds its mutex around the
// policy's remove() and so around every sameAs().
Emitter<int> bus;

void subscribe(Slot<int> *s) { bus += s; }
void unsubscribe(const Slot<int> &s) { bus -= s; }
