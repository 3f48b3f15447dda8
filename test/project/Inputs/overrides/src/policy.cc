#include "emitter.h"

// Makes a policy (and so its remove()) here without calling remove().
SlotList<int> *makePolicy() { return new VectorSlots<int>(); }
