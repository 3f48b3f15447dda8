//===- UnguardedFieldCheck.h ------------------------------------*- C++ -*-===//
//
// concur-unguarded-field: a field touched without the member mutex that
// guards it elsewhere. The lock-set dataflow shows every access to a field
// of `this` with the locks held there; at the end of the translation unit
// the check infers, per field, which member mutex guards it (or takes
// Clang's GUARDED_BY), then reports the accesses that break the discipline.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_UNGUARDEDFIELDCHECK_H
#define CONCUR_CHECKS_UNGUARDEDFIELDCHECK_H

#include "checks/engine/TranslationUnitAnalysis.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"

namespace concur {

class UnguardedFieldCheck : public LockSetObserver {
public:
  static constexpr const char *Id = "concur-unguarded-field";

  UnguardedFieldCheck(AnalysisContext &Ctx, std::vector<Finding> &Out,
                      const EngineOptions &Options)
      : Ctx(Ctx), Out(Out), Options(Options) {}

  /// Whether FD must be analysed for this check even if it takes no lock:
  /// a method (or a lambda in a method) of a class with a member mutex.
  bool needsEntry(const clang::FunctionDecl *FD);

  void beginEntry(const clang::FunctionDecl *Entry) override;
  void visitCall(const CallSite &Site) override;
  void visitStmt(const clang::Stmt *S, const LockSet &Held,
                 llvm::ArrayRef<const clang::Expr *> Via) override;
  /// Infers the guards and reports, once every entry has been analysed.
  void finish();

private:
  /// The member mutexes of `this` held at a point, with their modes.
  using HeldMutexes = llvm::SmallVector<std::pair<const clang::FieldDecl *, LockMode>, 2>;

  struct Access {
    const clang::MemberExpr *E;
    const clang::FieldDecl *Field;
    bool IsWrite;
    HeldMutexes Held;
    const clang::FunctionDecl *Entry; ///< the analysed function it is in
  };
  struct MethodCall {
    const clang::CXXMethodDecl *Callee;
    const clang::FunctionDecl *Entry; ///< the caller
    HeldMutexes Held;
  };

  const clang::CXXRecordDecl *classOf(const clang::FunctionDecl *FD) const;
  bool isTracked(const clang::CXXRecordDecl *RD);
  bool isCandidateField(const clang::FieldDecl *F);
  const clang::FieldDecl *mutexField(const clang::CXXRecordDecl *RD,
                                     LockId Lock) const;
  HeldMutexes heldMutexes(const clang::CXXRecordDecl *RD, const LockSet &Held);
  const llvm::DenseSet<const clang::Expr *> &writesIn(const clang::FunctionDecl *Entry);
  void reportClass(const clang::CXXRecordDecl *RD);

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
  const EngineOptions &Options;
  const clang::FunctionDecl *CurrentEntry = nullptr;

  llvm::DenseMap<const clang::CXXRecordDecl *, bool> Tracked;
  llvm::DenseMap<const clang::CXXRecordDecl *,
                 llvm::SmallVector<const clang::FieldDecl *, 2>> Mutexes;
  llvm::DenseMap<const clang::FieldDecl *, LockId> MutexIds;
  /// isCandidateField, per field (it walks the field's type).
  llvm::DenseMap<const clang::FieldDecl *, bool> Candidates;
  llvm::DenseMap<const clang::FunctionDecl *, llvm::DenseSet<const clang::Expr *>> Writes;
  llvm::DenseSet<const clang::Expr *> SeenAccesses;
  llvm::MapVector<const clang::CXXRecordDecl *, std::vector<Access>> Accesses;
  std::vector<MethodCall> Calls;
  /// Lambdas handed to a thread-spawn point: they run concurrently.
  llvm::DenseSet<const clang::FunctionDecl *> SpawnedLambdas;
};

} // namespace concur

#endif
