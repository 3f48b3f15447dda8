#include <mutex>

// A callback an emitter holds. The emitter asks its slots whether they are
// the one to remove while the emitter's own mutex is held.
template <class Arg>
class Slot {
public:
  virtual ~Slot() {}
  virtual void invoke(Arg a) = 0;
  virtual bool sameAs(const Slot &other) const = 0;
  virtual void cut() = 0;
};

template <class Obj, class Arg>
class MemberSlot : public Slot<Arg> {
public:
  typedef void (Obj::*Method)(Arg);
  MemberSlot(Obj *o, Method m) : target_(o), method_(m) {}
  void invoke(Arg a) override {
    std::lock_guard<std::mutex> l(mu_);
    if (target_)
      (target_->*method_)(a);
  }
  bool sameAs(const Slot<Arg> &other) const override {
    const MemberSlot *o = dynamic_cast<const MemberSlot *>(&other);
    return o && target_ == o->target_;
  }
  void cut() override {
    std::lock_guard<std::mutex> l(mu_);
    target_ = nullptr;
  }

private:
  Obj *target_;
  Method method_;
  mutable std::mutex mu_;
};

// A slot that wraps another and asks it (Poco's Expire): its sameAs is
// also a caller of sameAs, so the overrides call one another.
template <class Arg>
class WrappedSlot : public Slot<Arg> {
public:
  explicit WrappedSlot(Slot<Arg> *inner) : inner_(inner) {}
  void invoke(Arg a) override { inner_->invoke(a); }
  bool sameAs(const Slot<Arg> &other) const override { return other.sameAs(*inner_); }
  void cut() override { inner_->cut(); }

private:
  Slot<Arg> *inner_;
};
