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
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/FoldingSet.h"
#include "llvm/ADT/ImmutableMap.h"
#include <cstdint>
#include <optional>
#include <tuple>

namespace concur {

struct LockFact {
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

  bool held() const { return !Tried; }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddInteger(static_cast<unsigned>(Mode));
    ID.AddInteger(Acquired.getRawEncoding());
    ID.AddPointer(Guard);
    ID.AddBoolean(Tried);
    ID.AddBoolean(Asserted);
  }
  auto tie() const {
    return std::make_tuple(static_cast<unsigned>(Mode), Acquired.getRawEncoding(),
                           Guard, Tried, Asserted);
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

/// The dataflow state: the locks held on every path, the channels closed on
/// some path, and (in tasks and their callees only) how often each
/// WaitGroup has been counted down.
struct FlowState {
  LockSet Held;
  ChannelSet Closed;
  CountSet Counts;
  bool operator==(const FlowState &O) const {
    return Held == O.Held && Closed == O.Closed && Counts == O.Counts;
  }
};

} // namespace concur

#endif
