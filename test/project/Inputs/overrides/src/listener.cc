#include "slot.h"

// Makes the slots (and so their methods) here; nothing here calls sameAs.
struct Listener {
  void onValue(int v) { last = v; }
  int last = 0;
};

Slot<int> *slotFor(Listener *l) {
  return new MemberSlot<Listener, int>(l, &Listener::onValue);
}

Slot<int> *wrappedSlotFor(Listener *l) { return new WrappedSlot<int>(slotFor(l)); }
