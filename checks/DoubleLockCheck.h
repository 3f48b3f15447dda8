//===- DoubleLockCheck.h ----------------------------------------*- C++ -*-===//
//
// concur-double-lock: a non-recursive lock acquired while the same thread
// holds it on every path, directly or through a callee whose summary takes
// it; a shared lock upgraded to an exclusive one (or the reverse). The
// lock-set dataflow says what is held at each acquisition; the acquire
// summaries say what a callee takes.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_DOUBLELOCKCHECK_H
#define CONCUR_CHECKS_DOUBLELOCKCHECK_H

#include "checks/engine/AcquireSummaries.h"
#include "checks/engine/TranslationUnitAnalysis.h"
#include "llvm/ADT/DenseSet.h"

namespace concur {

/// The caller's locks that the calls of a function may release through
/// their callees (a helper that unlocks the lock it is given, or a member
/// lock): the dataflow cannot see those releases, so the lock checks stay
/// silent about such locks in that function.
llvm::DenseSet<LockId> locksReleasedByCallees(const clang::FunctionDecl *FD,
                                              AnalysisContext &Ctx,
                                              AcquireSummaries &Summaries);

class DoubleLockCheck : public TranslationUnitCheck {
public:
  static constexpr const char *Id = "concur-double-lock";

  DoubleLockCheck(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : Ctx(Ctx), Out(Out), Summaries(Ctx.AST, Ctx.Models) {}
  void beginEntry(const clang::FunctionDecl *Entry) override;
  void visitAcquire(const AcquireSite &Site) override;
  void visitCall(const CallSite &Site) override;

private:
  /// The way a second hold of a lock goes wrong, or null when it does not:
  /// two shared holds are allowed by the libraries concur models.
  static const char *conflict(LockMode Held, LockMode Wanted);
  void addHeldNote(Finding &F, LockId Lock, const LockFact &Fact,
                   llvm::ArrayRef<const clang::Expr *> InlinedVia);

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
  AcquireSummaries Summaries;
  llvm::DenseSet<LockId> ReleasedByCallees;
};

} // namespace concur

#endif
