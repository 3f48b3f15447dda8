//===- StopIgnoredCheck.h ---------------------------------------*- C++ -*-===//
//
// concur-stop-ignored: a loop on a thread that nothing can stop. Two shapes:
//  - the thread's callable takes a std::stop_token (a std::jthread passes
//    one) and a loop of it has no way out and never looks at the token;
//  - a loop of the thread's body has no way out at all while the thread's
//    class has a stop flag (a member that stop(), shutdown() or the
//    destructor sets) that the loop never reads.
// Either way the stop request is lost and the join that follows it (a
// jthread's destructor, a stop() that joins) blocks forever: Go's goroutine
// that never looks at its context's Done channel.
//
// The thread bodies come from the spawn sites (SpawnSites); a loop's ways
// out are read from the CFG of its function: a path from the loop to a
// statement outside it, or to the exit (a return, a throw, a call to a
// noreturn function).
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_STOPIGNOREDCHECK_H
#define CONCUR_CHECKS_STOPIGNOREDCHECK_H

#include "checks/engine/SpawnSites.h"
#include "checks/engine/TranslationUnitAnalysis.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace concur {

class StopIgnoredCheck : public TranslationUnitCheck {
public:
  static constexpr const char *Id = "concur-stop-ignored";

  StopIgnoredCheck(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : Ctx(Ctx), Out(Out) {}
  void visitCall(const CallSite &Site) override;

  /// Whether FD has a spawn point: the functions this check needs.
  bool needsEntry(const clang::FunctionDecl *FD) override;

private:
  /// A member of a class that a stop path sets, and where.
  struct StopFlag {
    const clang::FieldDecl *Field = nullptr;
    const clang::Expr *Write = nullptr;
    const clang::FunctionDecl *Writer = nullptr;
  };

  void checkTask(const SpawnedTask &T);
  /// The loops of FD (outside nested lambdas) with no way out.
  llvm::SmallVector<const clang::Stmt *, 2>
  loopsWithoutExit(const clang::FunctionDecl *FD);
  /// The stop flags of a class, found once.
  const llvm::SmallVector<StopFlag, 2> &stopFlagsOf(const clang::CXXRecordDecl *RD);
  /// Whether S (or a member function of RD it calls, two levels down)
  /// names one of Fields.
  bool readsAny(const clang::Stmt *S, const clang::CXXRecordDecl *RD,
                llvm::ArrayRef<StopFlag> Flags, unsigned Depth = 0);

  void reportToken(const SpawnedTask &T, const clang::Stmt *Loop,
                   const clang::ParmVarDecl *Token);
  void reportFlag(const SpawnedTask &T, const clang::Stmt *Loop,
                  const StopFlag &Flag);

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
  llvm::DenseSet<const clang::FunctionDecl *> CheckedBodies;
  llvm::DenseSet<const clang::Stmt *> Reported;
  llvm::DenseMap<const clang::CXXRecordDecl *, llvm::SmallVector<StopFlag, 2>>
      Flags;
};

} // namespace concur

#endif
