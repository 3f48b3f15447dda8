//===- NonatomicFlagCheck.h -------------------------------------*- C++ -*-===//
//
// concur-nonatomic-flag: a plain (non-atomic, possibly volatile) scalar
// that a loop on a thread tests to know when to stop, and that another
// function writes, with no lock common to the test and the write. Without
// synchronisation the compiler may load the flag once, before the loop, and
// the loop never sees the write; under the memory model it is a data race.
//
// The check records, for every function (through the lock-set dataflow, or
// a plain walk for the functions that take no lock), the writes of scalar
// variables shared with threads (fields of `this`, globals, locals a lambda
// captures by reference) and the reads that decide a loop's exit, with the
// locks held at each; at the end of the translation unit it keeps the loops
// that run on a spawned thread and pairs them with the writes made
// elsewhere while that thread can run.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_NONATOMICFLAGCHECK_H
#define CONCUR_CHECKS_NONATOMICFLAGCHECK_H

#include "checks/engine/TranslationUnitAnalysis.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"

namespace concur {

class NonatomicFlagCheck : public TranslationUnitCheck {
public:
  static constexpr const char *Id = "concur-nonatomic-flag";

  NonatomicFlagCheck(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : Ctx(Ctx), Out(Out) {}

  void beginEntry(const clang::FunctionDecl *Entry) override {
    CurrentEntry = Entry;
    if (Entries.insert(Entry).second)
      AllEntries.push_back(Entry);
  }
  void visitCall(const CallSite &Site) override;
  void visitStmt(const clang::Stmt *S, const LockSet &Held,
                 llvm::ArrayRef<const clang::Expr *> Via) override;

  /// The functions the lock-set dataflow skipped (they take no lock): walks
  /// them with no lock held.
  void analyzeRemaining(llvm::ArrayRef<const clang::FunctionDecl *> Skipped) override;
  /// Pairs the loop tests on threads with the writes, and reports.
  void finish() override;

private:
  /// A read that decides a loop's exit, or a write, of a candidate flag.
  struct Access {
    const clang::Expr *E;
    const clang::FunctionDecl *Fn;
    llvm::SmallVector<LockId, 2> Locks;
  };
  /// Where a function starts threads and joins them.
  struct ThreadEvents {
    clang::SourceLocation FirstSpawn, LastJoin;
  };

  void record(const clang::Expr *E, const clang::FunctionDecl *Fn,
              const LockSet *Held);
  void noteSpawn(const clang::Expr *Site, const clang::FunctionDecl *Fn);
  void noteJoin(const clang::Expr *Call, const clang::FunctionDecl *Fn);
  /// The candidate flag an occurrence names, if any.
  const clang::ValueDecl *flagOf(const clang::Expr *E) const;
  bool isWrite(const clang::Expr *E) const;
  /// Whether a read decides when a loop ends: in a loop's condition, or in
  /// the condition of an `if` in a loop body that breaks or returns.
  bool isLoopExitTest(const clang::Expr *E) const;
  /// The functions that run on a spawned thread, each with its spawn.
  void computeThreadFunctions();
  /// Whether a write cannot run while the thread that reads does: in a
  /// constructor, before its function spawns, after it joins.
  bool outsideThreadLifetime(const Access &W) const;
  void report(const clang::ValueDecl *V, const Access &Read,
              const Access &Write, const clang::Expr *Spawn);
  /// The replacement of V's declared type by std::atomic<T>, when every use
  /// of V in the translation unit is one std::atomic supports the same way
  /// and the declaration can change alone; null otherwise.
  std::optional<FindingFix> atomicFix(const clang::ValueDecl *V);
  /// Whether one occurrence of V keeps its meaning once V is atomic: a
  /// plain read that converts to T, an assignment, a comparison.
  bool atomicSupports(const clang::Expr *Use, clang::QualType T) const;

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
  const clang::FunctionDecl *CurrentEntry = nullptr;

  llvm::DenseSet<const clang::Expr *> Seen;
  /// Every function seen, in order: where threads are spawned and joined.
  llvm::DenseSet<const clang::FunctionDecl *> Entries;
  std::vector<const clang::FunctionDecl *> AllEntries;
  llvm::MapVector<const clang::ValueDecl *, std::vector<Access>> Reads;
  llvm::DenseMap<const clang::ValueDecl *, std::vector<Access>> Writes;
  /// Spawned task bodies and the site that spawns each.
  llvm::MapVector<const clang::FunctionDecl *, const clang::Expr *> Spawned;
  llvm::DenseMap<const clang::FunctionDecl *, ThreadEvents> Threads;
  /// Every occurrence of each flag reported, in the whole TU (for fix-its).
  llvm::DenseMap<const clang::ValueDecl *, llvm::SmallVector<const clang::Expr *, 8>> AllUses;
  bool UsesCollected = false;
  /// Functions that run on a thread, and the spawn that starts them.
  llvm::DenseMap<const clang::FunctionDecl *, const clang::Expr *> OnThread;
};

} // namespace concur

#endif
