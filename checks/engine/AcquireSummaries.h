//===- AcquireSummaries.h - Which locks a function takes --------*- C++ -*-===//
//
// A bottom-up summary of every function with a body in the translation unit:
// the locks a call to it may acquire (directly or through its callees) and
// the caller's locks it may release, each named in the function's own
// terms: a member of the object it is called on ("*this.Cache::mu_"), a
// global, or a parameter. It is the lock analogue of BlockingSummaries'
// "may block": a check maps a summary onto a call site's held locks.
//
// Computed on demand and memoised; a function being summarised counts as
// taking nothing for the calls that reach it again, so recursion ends.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_ACQUIRESUMMARIES_H
#define CONCUR_ENGINE_ACQUIRESUMMARIES_H

#include "checks/engine/ApiModels.h"
#include "checks/engine/Finding.h"
#include "checks/engine/LockIdentity.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace concur {

class LockSetAnalysis;

/// A lock as a function names it for its callers.
struct SummaryLock {
  /// "*this.Class::mu_" (a member of the object the function is called on),
  /// or a global's path; empty when Param is set.
  std::string Path;
  /// The lock the caller passes as this parameter (a pointer or reference).
  std::optional<unsigned> Param;
  std::string Display; ///< as written where the lock is taken

  bool sameAs(const SummaryLock &O) const {
    return Param == O.Param && Path == O.Path;
  }
};

/// One lock a call to the function may acquire.
struct SummaryAcquire {
  SummaryLock Lock;
  LockMode Mode = LockMode::Exclusive;
  /// The acquisition in this function (a lock call, a guard), or the call
  /// through which a callee takes it.
  const clang::Expr *Site = nullptr;
  /// The callee taking it, when Site is such a call; follow its summary's
  /// Acquires[Next] for the next step of the chain.
  const clang::FunctionDecl *Callee = nullptr;
  unsigned Next = 0;
  /// Taken only on some paths through the function (under a branch or in
  /// a loop, here or further down): a flag the caller's state decides may
  /// keep it from ever happening while the caller holds the lock.
  bool Conditional = false;
  /// Taken only when the function's parameter OnlyIfParam (a bool) is
  /// OnlyIfValue: `if (need_lock) mu_.Lock();`. A caller passing the other
  /// constant never takes it.
  std::optional<unsigned> OnlyIfParam = std::nullopt;
  bool OnlyIfValue = true;
};

struct AcquireSummary {
  llvm::SmallVector<SummaryAcquire, 2> Acquires;
  /// Locks the function releases without having taken them: its caller's.
  llvm::SmallVector<SummaryLock, 1> Releases;
};

class AcquireSummaries {
public:
  AcquireSummaries(clang::ASTContext &Ctx, const ModelMatcher &Models)
      : Ctx(Ctx), Models(Models) {}

  /// The summary of a function that is not itself a modelled lock API.
  const AcquireSummary &summaryOf(const clang::FunctionDecl *FD);

  /// The lock a summary names, at a call to its function, in the caller's
  /// lock table; std::nullopt when the call does not let concur tell.
  static std::optional<LockId> atCall(const SummaryLock &L,
                                      const clang::CallExpr *Call,
                                      LockSetAnalysis &Flow, LockTable &Locks);

  /// Whether Call passes a constant that keeps the function from taking A
  /// (its OnlyIfParam argument is the other boolean constant).
  static bool ruledOutAt(const SummaryAcquire &A, const clang::CallExpr *Call,
                         const clang::ASTContext &Ctx);

  /// How a function names a lock expression for its callers, if it can.
  static std::optional<SummaryLock> nameForCallers(const clang::Expr *Lock);

  /// The steps from Callee down to the acquisition its summary records as
  /// Acquires[Index], one note per call and one where the lock is taken.
  /// With Innermost, the last function called on the way (empty when Callee
  /// takes the lock itself).
  std::vector<FindingNote> chainTo(const clang::FunctionDecl *Callee,
                                   unsigned Index,
                                   std::string *Innermost = nullptr);

private:
  AcquireSummary compute(const clang::FunctionDecl *FD);

  clang::ASTContext &Ctx;
  const ModelMatcher &Models;
  /// Boxed: a summary is returned by reference while others are computed.
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<AcquireSummary>>
      Summaries;
};

} // namespace concur

#endif
