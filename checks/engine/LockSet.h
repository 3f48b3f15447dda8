//===- LockSet.h - The lattice of held locks --------------------*- C++ -*-===//
//
// A LockSet maps each lock held at a program point to how it is held. It is a
// persistent map (llvm::ImmutableMap) so that the state of every CFG edge can
// be kept without copying. The join is an intersection: a lock counts as held
// only if it is held on every path, which keeps reports to what is certain.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_LOCKSET_H
#define CONCUR_ENGINE_LOCKSET_H

#include "checks/engine/ApiModels.h"
#include "checks/engine/LockIdentity.h"
#include "checks/engine/ThreadStates.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/FoldingSet.h"
#include "llvm/ADT/ImmutableMap.h"
#include <array>
#include <cstdint>
#include <optional>
#include <tuple>

namespace concur {

struct LockFact {
  /// Holds of a recursive mutex counted beyond the first; deeper nesting
  /// saturates (and so keeps the lock held a little longer than it is).
  static constexpr unsigned MaxNested = 3;

  LockMode Mode = LockMode::Exclusive;
  clang::SourceLocation Acquired;
  /// The RAII guard that releases the lock at the end of its scope; null
  /// for a lock taken by hand.
  const clang::VarDecl *Guard = nullptr;
  /// A try-lock whose result has not been tested yet: not held for the
  /// purpose of reports until a branch confirms it.
  bool Tried = false;
  /// Known from an assertion (mu.AssertHeld()) rather than an acquisition.
  bool Asserted = false;
  /// A recursive mutex locked again while held: how many holds beyond the
  /// first, and the guard of each (null: locked by hand), innermost last.
  /// Each hold needs its own release before the lock is free.
  uint8_t Nested = 0;
  std::array<const clang::VarDecl *, MaxNested> NestedGuards{};

  bool held() const { return !Tried; }

  /// One more hold of a recursive mutex, by Holder (null: by hand).
  LockFact reacquired(const clang::VarDecl *Holder) const {
    LockFact R = *this;
    if (R.Nested < MaxNested)
      R.NestedGuards[R.Nested++] = Holder;
    return R;
  }
  /// The fact once Holder's hold ends (a guard's scope, unlock() by hand
  /// with Holder null); std::nullopt when it was the last hold.
  std::optional<LockFact> releasedBy(const clang::VarDecl *Holder) const {
    LockFact R = *this;
    // The innermost nested hold of this holder (by hand: any, innermost).
    for (unsigned I = R.Nested; I-- > 0;)
      if (!Holder || R.NestedGuards[I] == Holder) {
        for (unsigned J = I; J + 1 < R.Nested; ++J)
          R.NestedGuards[J] = R.NestedGuards[J + 1];
        R.NestedGuards[--R.Nested] = nullptr;
        return R;
      }
    if (R.Guard != Holder && Holder)
      return R; // Holder does not hold this lock
    if (R.Nested == 0)
      return std::nullopt;
    // The outer hold ends first (lk.unlock()): the next one takes its place.
    R.Guard = R.NestedGuards[0];
    for (unsigned J = 0; J + 1 < R.Nested; ++J)
      R.NestedGuards[J] = R.NestedGuards[J + 1];
    R.NestedGuards[--R.Nested] = nullptr;
    return R;
  }
  /// Whether Holder is one of the guards holding the lock.
  bool heldBy(const clang::VarDecl *Holder) const {
    if (Guard == Holder)
      return true;
    for (unsigned I = 0; I < Nested; ++I)
      if (NestedGuards[I] == Holder)
        return true;
    return false;
  }
  /// Holder's holds handed to To (a moved guard; null: unique_lock::release
  /// leaves them held by hand).
  LockFact handedOver(const clang::VarDecl *Holder,
                      const clang::VarDecl *To) const {
    LockFact R = *this;
    if (R.Guard == Holder)
      R.Guard = To;
    for (unsigned I = 0; I < R.Nested; ++I)
      if (R.NestedGuards[I] == Holder)
        R.NestedGuards[I] = To;
    return R;
  }
  /// The join of a lock held on two paths: held as surely as the weaker
  /// one (still tried on either, the fewer nested holds).
  static LockFact join(const LockFact &A, const LockFact &B) {
    LockFact R = B.Nested < A.Nested ? B : A;
    if (B.Nested < A.Nested) {
      R.Acquired = A.Acquired; // keep the first path's evidence
      R.Asserted = A.Asserted;
    }
    R.Tried = A.Tried || B.Tried;
    return R;
  }

  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddInteger(static_cast<unsigned>(Mode));
    ID.AddInteger(Acquired.getRawEncoding());
    ID.AddPointer(Guard);
    ID.AddBoolean(Tried);
    ID.AddBoolean(Asserted);
    ID.AddInteger(Nested);
    for (const clang::VarDecl *G : NestedGuards)
      ID.AddPointer(G);
  }
  auto tie() const {
    return std::make_tuple(static_cast<unsigned>(Mode), Acquired.getRawEncoding(),
                           Guard, Tried, Asserted, Nested, NestedGuards);
  }
  bool operator==(const LockFact &O) const { return tie() == O.tie(); }
  bool operator<(const LockFact &O) const { return tie() < O.tie(); }
};

using LockSet = llvm::ImmutableMap<LockId, LockFact>;

/// A channel that may be closed at a program point. Unlike locks, closes
/// join as a union: a send is wrong if the channel is closed on any path,
/// and the message says whether it is every path or only some.
struct ChannelFact {
  clang::SourceLocation ClosedAt;
  /// The call through which a callee closed it, if not a direct close().
  const clang::Expr *ClosedVia = nullptr;
  bool AllPaths = true;
  /// A flag set together with the close (`closed_ = true`): a branch on it
  /// being false is a path where the channel is still open.
  std::optional<LockId> Flag;

  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddInteger(ClosedAt.getRawEncoding());
    ID.AddPointer(ClosedVia);
    ID.AddBoolean(AllPaths);
    ID.AddInteger(Flag ? *Flag + 1 : 0);
  }
  auto tie() const {
    return std::make_tuple(ClosedAt.getRawEncoding(), ClosedVia, AllPaths,
                           Flag ? *Flag + 1 : 0u);
  }
  bool operator==(const ChannelFact &O) const { return tie() == O.tie(); }
  bool operator<(const ChannelFact &O) const { return tie() < O.tie(); }
};

using ChannelSet = llvm::ImmutableMap<LockId, ChannelFact>;

/// How many times a WaitGroup or latch has been counted down on the paths
/// to a point, as the set of possibilities: none, once, twice or more, and
/// an amount concur cannot evaluate. The join is a union, so a task whose
/// paths disagree keeps every possibility and the check can tell which
/// path is wrong.
struct CountFact {
  enum : uint8_t { Zero = 1, One = 2, Many = 4, Unknown = 8 };
  uint8_t Possible = Zero;
  /// The first count-down on the way, and one that can be a second; for a
  /// count-down inside a callee or a destructor, the call site and the
  /// function.
  clang::SourceLocation FirstAt, ExtraAt;
  const clang::FunctionDecl *FirstVia = nullptr, *ExtraVia = nullptr;

  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddInteger(Possible);
    ID.AddInteger(FirstAt.getRawEncoding());
    ID.AddInteger(ExtraAt.getRawEncoding());
    ID.AddPointer(FirstVia);
    ID.AddPointer(ExtraVia);
  }
  auto tie() const {
    return std::make_tuple(Possible, FirstAt.getRawEncoding(),
                           ExtraAt.getRawEncoding(), FirstVia, ExtraVia);
  }
  bool operator==(const CountFact &O) const { return tie() == O.tie(); }
  bool operator<(const CountFact &O) const { return tie() < O.tie(); }
};

using CountSet = llvm::ImmutableMap<LockId, CountFact>;

/// What is known of a file descriptor variable on every path to a point:
/// made non-blocking (O_NONBLOCK at open, fcntl F_SETFL, SOCK_NONBLOCK), or
/// -1. I/O on it does not block. The join is an intersection of equal
/// facts.
struct DescriptorFact {
  enum Kind : uint8_t { NonBlocking, Invalid };
  Kind State = NonBlocking;

  void Profile(llvm::FoldingSetNodeID &ID) const { ID.AddInteger(State); }
  bool operator==(const DescriptorFact &O) const { return State == O.State; }
  bool operator<(const DescriptorFact &O) const { return State < O.State; }
};

using DescriptorSet = llvm::ImmutableMap<LockId, DescriptorFact>;

/// The dataflow state: the locks held on every path, the channels closed on
/// some path, (in tasks and their callees only) how often each WaitGroup
/// has been counted down, the descriptors known not to block, and the
/// states of the local thread objects.
struct FlowState {
  LockSet Held;
  ChannelSet Closed;
  CountSet Counts;
  DescriptorSet Descriptors;
  ThreadSet Threads;
  bool operator==(const FlowState &O) const {
    return Held == O.Held && Closed == O.Closed && Counts == O.Counts &&
           Descriptors == O.Descriptors && Threads == O.Threads;
  }
};

} // namespace concur

#endif
