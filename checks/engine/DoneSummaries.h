//===- DoneSummaries.h - Which functions count a WaitGroup down -*- C++ -*-===//
//
// Go's `defer wg.Done()` becomes, in C++, a helper `finish(wg)`, a worker
// that receives the WaitGroup by reference, an RAII object whose destructor
// calls Done, or a scope guard holding a lambda. A summary says, for a
// function, which WaitGroups it counts down and how often on its paths:
// its parameters, members of the object it is called on, or objects it
// reaches directly (a global, a variable a lambda captured). It is computed
// by running the dataflow on the function itself (LockSetAnalysis::
// exitPaths) and read at each call site and destructor.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_DONESUMMARIES_H
#define CONCUR_ENGINE_DONESUMMARIES_H

#include "checks/engine/ApiModels.h"
#include "checks/engine/LockIdentity.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <string>

namespace concur {

class LockSetAnalysis;

/// Whose WaitGroup a counted path is, seen from the function that counts.
enum class CountOwner {
  Param,   ///< a parameter's (the caller's argument)
  Member,  ///< a member of `this` (the object the function is called on)
  Outside, ///< a global, or a variable of an enclosing function (a capture)
  Local,   ///< the function's own: invisible to its callers
};

struct DoneEffect {
  CountOwner Owner = CountOwner::Outside;
  unsigned Param = 0;  ///< Owner == Param
  bool ThroughPointer = false; ///< the parameter is a pointer to it
  std::string Path;    ///< Member: "*this.C::wg_", "**this.C::wg_"
  LockId Id = 0;       ///< Outside: the object itself
  uint8_t Possible = 0; ///< CountFact bits over the function's paths
  clang::SourceLocation At; ///< the first count-down in the function
  const clang::FunctionDecl *Via = nullptr; ///< the callee that does it, if any
};

struct DoneSummary {
  llvm::SmallVector<DoneEffect, 1> Effects;
  bool empty() const { return Effects.empty(); }
};

class DoneSummaries {
public:
  DoneSummaries(clang::ASTContext &Ctx, const ModelMatcher &Models,
                LockTable &Locks)
      : Ctx(Ctx), Models(Models), Locks(Locks) {}
  void setAnalysis(LockSetAnalysis *A) { Flow = A; }

  const DoneSummary &summaryOf(const clang::FunctionDecl *FD);
  /// A cheap syntactic test, before any dataflow: does FD (or what it calls)
  /// contain a modelled count-down at all?
  bool mayCountDown(const clang::FunctionDecl *FD);
  /// Who owns the counted path Id, seen from FD.
  CountOwner ownerOf(LockId Id, const clang::FunctionDecl *FD) const;

private:
  DoneSummary compute(const clang::FunctionDecl *Def);
  bool shouldFollow(const clang::FunctionDecl *FD) const;

  clang::ASTContext &Ctx;
  const ModelMatcher &Models;
  LockTable &Locks;
  LockSetAnalysis *Flow = nullptr;
  llvm::DenseMap<const clang::FunctionDecl *, DoneSummary> Summaries;
  llvm::DenseMap<const clang::FunctionDecl *, bool> MayCountDown;
};

/// The count-downs a path set can end with, when each of S's possibilities
/// is followed by each of T's (both CountFact bit sets).
uint8_t addCounts(uint8_t S, uint8_t T);

} // namespace concur

#endif
