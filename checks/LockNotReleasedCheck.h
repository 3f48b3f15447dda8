//===- LockNotReleasedCheck.h -----------------------------------*- C++ -*-===//
//
// concur-lock-not-released: a lock taken by hand that is still held on a
// way out of the function (an early return, a throw) while another way out
// releases it. The dataflow gives the held locks on each way out.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_LOCKNOTRELEASEDCHECK_H
#define CONCUR_CHECKS_LOCKNOTRELEASEDCHECK_H

#include "checks/engine/AcquireSummaries.h"
#include "checks/engine/TranslationUnitAnalysis.h"

namespace concur {

class LockNotReleasedCheck : public TranslationUnitCheck {
public:
  static constexpr const char *Id = "concur-lock-not-released";

  LockNotReleasedCheck(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : Ctx(Ctx), Out(Out), Summaries(Ctx.AST, Ctx.Models) {}
  void beginEntry(const clang::FunctionDecl *Entry) override;
  void visitAcquire(const AcquireSite &Site) override;
  void visitCall(const CallSite &Site) override;
  void endEntry(const clang::FunctionDecl *Entry,
                llvm::ArrayRef<ExitPath> Exits) override;

private:
  /// Whether the function is meant to return holding a lock: annotated
  /// ACQUIRE / TRY_ACQUIRE, or named for it (Lock, lockAll, acquire).
  static bool acquiresForCaller(const clang::FunctionDecl *FD);
  /// A try-lock wrapper: it returns true exactly on the ways out that hold
  /// the lock, and false on the others.
  bool isTryWrapper(const clang::FunctionDecl *FD, LockId Lock,
                    llvm::ArrayRef<ExitPath> Exits) const;
  static bool heldByHand(const ExitPath &P, LockId Lock);
  /// Whether the function gives back a lock of its caller's before taking
  /// it again (it runs with the lock held: an unlock-work-relock).
  bool releasesCallersLock(const clang::FunctionDecl *FD, LockId Lock);

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
  AcquireSummaries Summaries;
  /// Locks a guard of the current entry was constructed on: its destructor
  /// releases them however they were re-locked by hand in between.
  llvm::SmallVector<LockId, 4> GuardedLocks;
  /// Locks the current entry unlocks where it does not hold them: its
  /// caller's, given back and taken again (rocksdb's db_mutex_->Unlock();
  /// join(); db_mutex_->Lock()).
  llvm::SmallVector<LockId, 4> CallersLocks;
};

} // namespace concur

#endif
