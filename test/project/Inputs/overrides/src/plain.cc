#include "emitter.h"

// A policy that is not a template: its remove() is a public method that no
// file calls, an entry point, so its call of sameAs() holds nothing. (Only
// overrides.test's second database lists this file.)
class IntSlots : public SlotList<int> {
public:
  void add(Slot<int> *s) override { slots_.push_back(s); }
  void remove(const Slot<int> &s) override {
    for (Slot<int> *o : slots_)
      if (s.sameAs(*o))
        return;
  }

private:
  std::vector<Slot<int> *> slots_;
};

SlotList<int> *intPolicy() { return new IntSlots(); }
