#include "slot.h"
#include <vector>

// How an emitter keeps its slots: a policy with virtual methods.
template <class Arg>
class SlotList {
public:
  virtual ~SlotList() {}
  virtual void add(Slot<Arg> *s) = 0;
  virtual void remove(const Slot<Arg> &s) = 0;
};

template <class Arg>
class VectorSlots : public SlotList<Arg> {
public:
  void add(Slot<Arg> *s) override { slots_.push_back(s); }
  void remove(const Slot<Arg> &s) override {
    for (auto it = slots_.begin(); it != slots_.end(); ++it)
      if (s.sameAs(**it)) {
        (*it)->cut();
        slots_.erase(it);
        return;
      }
  }

private:
  std::vector<Slot<Arg> *> slots_;
};

template <class Arg>
class Emitter {
public:
  void operator+=(Slot<Arg> *s) {
    std::lock_guard<std::mutex> l(mu_);
    list_.add(s);
  }
  void operator-=(const Slot<Arg> &s) {
    std::lock_guard<std::mutex> l(mu_);
    list_.remove(s);
  }

private:
  std::mutex mu_;
  VectorSlots<Arg> list_;
};
