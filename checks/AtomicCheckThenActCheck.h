//===- AtomicCheckThenActCheck.h --------------------------------*- C++ -*-===//
//
// concur-atomic-check-then-act: a store to an atomic whose value, or whose
// execution, derives from an earlier load of the same atomic, with no
// compare-exchange in between. Each step is atomic, the whole is not: a
// write by another thread between the load and the store is lost
// (`a.store(a.load() + 1)`), or two threads both pass the test and both
// act (`if (!f) { f = true; init(); }`).
//
// Per function, over its CFG: the loads each local's value derives from
// (atomics/LoadDerivedValues), the stored value's origins, and the branches
// the store is control-dependent on (post-dominance). Across the
// translation unit: every write of each atomic and the locks held there,
// so that a load and store under a lock every other writer also holds stay
// silent, and the functions spawned threads run, so that an atomic only
// this function writes, on one thread, stays silent too.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_ATOMICCHECKTHENACTCHECK_H
#define CONCUR_CHECKS_ATOMICCHECKTHENACTCHECK_H

#include "checks/atomics/AtomicOps.h"
#include "checks/engine/TranslationUnitAnalysis.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace concur {

class AtomicCheckThenActCheck : public TranslationUnitCheck {
public:
  static constexpr const char *Id = "concur-atomic-check-then-act";

  AtomicCheckThenActCheck(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : Ctx(Ctx), Out(Out) {}

  void beginEntry(const clang::FunctionDecl *Entry) override;
  void visitStmt(const clang::Stmt *S, const LockSet &Held,
                 llvm::ArrayRef<const clang::Expr *> Via) override;
  void endEntry(const clang::FunctionDecl *Entry,
                llvm::ArrayRef<ExitPath> Exits) override;

  /// Whether FD stores to an atomic: the functions whose locks this check
  /// needs the engine to track.
  bool needsEntry(const clang::FunctionDecl *FD) override;
  /// The functions the engine skipped (they take no lock and store to no
  /// atomic): their read-modify-writes are writers too, with no lock held.
  void analyzeRemaining(llvm::ArrayRef<const clang::FunctionDecl *> Skipped) override;
  /// Decides the candidates against every writer of the TU, and reports.
  void finish() override;

private:
  /// A write of an atomic, with the locks held.
  struct Write {
    const clang::Stmt *S;
    const clang::FunctionDecl *Fn;
    llvm::SmallVector<LockId, 2> Locks;
  };
  /// A store that a load of the same atomic computes or decides.
  struct Candidate {
    const clang::FunctionDecl *Fn;
    const clang::Stmt *Store;
    atomics::AtomicOp Op;
    const clang::Expr *Load;
    /// The branch deciding the store (null when the value derives).
    const clang::Stmt *Test = nullptr;
    /// The locks held at both the load and the store.
    llvm::SmallVector<LockId, 2> CommonLocks;
  };

  void analyzeFunction(const clang::FunctionDecl *FD);
  llvm::SmallVector<LockId, 2> locksAt(const clang::Stmt *S) const;
  /// `if (!f) f = true;` alone (or `if (a != K) a = K;`): the store only
  /// makes true what the test found false, and nothing else is done.
  bool guardsOnlyAFailure(const clang::CFGBlock *Branch) const;
  bool explicitOrder(const clang::Stmt *Op) const;
  bool otherObject(const clang::Expr *Load, const atomics::AtomicOp &Store) const;
  bool idempotentStore(const clang::Stmt *Test, const clang::Stmt *Store,
                       const atomics::AtomicOp &Op,
                       const clang::Expr *Load) const;
  /// A local atomic that no lambda captures and whose address or
  /// reference never leaves its function: no other thread sees it.
  bool staysInFunction(const clang::ValueDecl *A,
                       const clang::FunctionDecl *FD) const;
  /// Every other writer of the atomic holds one of the locks held at both
  /// the load and the store.
  bool serialisedByLock(const Candidate &C) const;
  /// The atomic is written by this function alone, and the function runs
  /// on one thread only: one spawn site, not in a loop, reaches it.
  bool onlyWriterOnOneThread(const Candidate &C);
  void computeSpawns();
  void report(const Candidate &C);
  std::optional<FindingFix> fetchFix(const Candidate &C) const;
  std::vector<FindingFix> exchangeFix(const Candidate &C) const;
  std::string text(const clang::Expr *E) const;

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
  const clang::FunctionDecl *Current = nullptr;
  std::vector<const clang::FunctionDecl *> AllFunctions;
  llvm::DenseSet<const clang::FunctionDecl *> Seen;
  /// The locks held at each atomic operation of the analysed functions.
  llvm::DenseMap<const clang::Stmt *, llvm::SmallVector<LockId, 2>> HeldAt;
  llvm::DenseMap<const clang::ValueDecl *, std::vector<Write>> Writes;
  std::vector<Candidate> Candidates;
  bool SpawnsComputed = false;
  /// For each function a spawned thread runs, its spawn sites.
  llvm::DenseMap<const clang::FunctionDecl *,
                 llvm::SmallVector<const clang::Expr *, 1>>
      SpawnsOf;
};

} // namespace concur

#endif
