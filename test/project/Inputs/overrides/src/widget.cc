#include "emitter.h"

// Makes both a policy and a slot here: remove() calls sameAs(), and
// nothing here calls remove().
struct Widget {
  void onClick(int) {}
};

SlotList<int> *widgetPolicy() { return new VectorSlots<int>(); }
Slot<int> *widgetSlot(Widget *w) {
  return new MemberSlot<Widget, int>(w, &Widget::onClick);
}
