//===- WaitGroupUnpairedCheck.h ---------------------------------*- C++ -*-===//
//
// concur-waitgroup-unpaired: a WaitGroup or latch whose count-ups and
// count-downs do not pair up. At each spawn point the task that runs
// elsewhere is analysed on its own (LockSetAnalysis::exitPaths, with Done
// counted through callees, RAII guards and scope guards): every way out of
// it must count the WaitGroup down exactly once, or once more for each Add
// the task makes itself. An Add inside the task races the Wait. Where every
// amount is a constant and every Add, spawn and Done runs unconditionally,
// the totals are compared at the Wait. A count added once for every
// iteration of the loop that spawns the tasks must be met by a spawn on
// every iteration: a `continue`, `break` or branch that skips it is
// reported (count drift).
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_WAITGROUPUNPAIREDCHECK_H
#define CONCUR_CHECKS_WAITGROUPUNPAIREDCHECK_H

#include "checks/engine/BodySites.h"
#include "checks/engine/SpawnSites.h"
#include "checks/engine/TranslationUnitAnalysis.h"
#include "llvm/ADT/DenseSet.h"

namespace concur {

class WaitGroupUnpairedCheck : public TranslationUnitCheck {
public:
  static constexpr const char *Id = "concur-waitgroup-unpaired";

  WaitGroupUnpairedCheck(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : Ctx(Ctx), Out(Out) {}
  void beginEntry(const clang::FunctionDecl *Entry) override {
    CurrentEntry = Entry;
  }
  void visitCall(const CallSite &Site) override;

  /// Whether FD spawns a task or waits on a WaitGroup: the functions this
  /// check needs the engine to walk.
  bool needsEntry(const clang::FunctionDecl *FD) override;

private:
  /// The calls, loops and exits of a body, gathered once: the check asks
  /// per spawn and per count, and a walk each time would be quadratic.
  const BodySites &sitesIn(const clang::Stmt *Body);
  llvm::DenseMap<const clang::Stmt *, std::unique_ptr<BodySites>> SitesCache;

  /// What a task does to one WaitGroup over all its ways out.
  struct TaskCount {
    LockId InTask;    ///< the WaitGroup as the task names it
    uint8_t Possible; ///< union of CountFact bits over the exits
  };
  const std::vector<ExitPath> &exitsOf(const clang::FunctionDecl *Body);
  llvm::SmallVector<TaskCount, 2> countsOf(const SpawnedTask &T);
  /// The WaitGroup the spawner passes for one the task counts down.
  std::optional<LockId> inSpawner(const SpawnedTask &T, LockId InTask);

  bool countsDownInLoop(const SpawnedTask &T, LockId InTask);
  void checkPaths(const SpawnedTask &T);
  void checkAddInTask(const SpawnedTask &T);
  void checkTotals(const clang::CallExpr *Wait, LockId WaitGroup);

  /// What a task that counts its own WaitGroup up does with it: the sum of
  /// its own Adds, and of its count-downs, when each is a constant that
  /// runs exactly once.
  struct SelfCount {
    bool Adds = false;
    std::optional<int64_t> Added;
    std::optional<int64_t> Downs;
    /// The count-downs with their amounts, in order (Downs known only).
    llvm::SmallVector<std::pair<const clang::Expr *, int64_t>, 4> DownSites;
  };
  SelfCount selfCountOf(const SpawnedTask &T, LockId InTask);
  /// Judges a self-adding task whose counts are all known; false when they
  /// are not and the paths must be judged instead.
  bool checkSelfCount(const SpawnedTask &T, LockId InTask, const SelfCount &S,
                      const std::optional<FindingNote> &SpawnerAdd);

  /// Count drift: the loop around a spawn skips it on some iterations
  /// although the WaitGroup was counted up once per iteration.
  void checkLoopDrift(const SpawnedTask &T);
  void checkLoopDrift(const clang::Stmt *Loop, LockId WaitGroup);
  /// The one count-up of WaitGroup in the current entry (an Add, or a
  /// construction with a count), if there is exactly one.
  struct CountUp {
    const clang::Expr *At = nullptr;     ///< the Add call or construction
    const clang::Expr *Amount = nullptr; ///< its count argument
    const clang::VarDecl *Var = nullptr; ///< the variable constructed
  };
  std::optional<CountUp> soleCountUp(LockId WaitGroup);
  /// The Add (or initial count) before a spawn that the task must balance.
  std::optional<FindingNote> countedUpBefore(const clang::Expr *Spawn,
                                             LockId WaitGroup);

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
  const clang::FunctionDecl *CurrentEntry = nullptr;
  llvm::DenseMap<const clang::FunctionDecl *, std::vector<ExitPath>> Exits;
  llvm::DenseSet<const clang::FunctionDecl *> PathsChecked;
  llvm::DenseSet<std::pair<const clang::FunctionDecl *, LockId>> TotalsChecked;
  llvm::DenseSet<std::pair<const clang::Stmt *, LockId>> LoopsChecked;
};

} // namespace concur

#endif
