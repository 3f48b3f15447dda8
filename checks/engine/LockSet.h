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

} // namespace concur

#endif
