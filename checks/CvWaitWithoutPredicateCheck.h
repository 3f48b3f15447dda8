//===- CvWaitWithoutPredicateCheck.h ----------------------------*- C++ -*-===//
//
// concur-cv-wait-without-predicate: a condition-variable wait without a
// predicate that no loop re-checks. A wait can return without a notify (a
// spurious wakeup) or after another waiter consumed what was notified (a
// stolen wakeup); code that goes on after it must test its condition again.
//
// Which calls are condition waits comes from the models (a blocking call on
// a condition-variable type, or a free function, that releases a lock while
// it waits): std, Boost, Abseil, pthread/C11 and inferred wrappers alike.
// Whether a loop re-checks is read from the CFG: some branch evaluated after
// the wait must lie on a cycle through the wait and have a way out of it
// (a loop condition, or an `if` that breaks or returns).
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_CVWAITWITHOUTPREDICATECHECK_H
#define CONCUR_CHECKS_CVWAITWITHOUTPREDICATECHECK_H

#include "checks/engine/TranslationUnitAnalysis.h"

namespace concur {

class CvWaitWithoutPredicateCheck : public TranslationUnitCheck {
public:
  static constexpr const char *Id = "concur-cv-wait-without-predicate";

  CvWaitWithoutPredicateCheck(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : Ctx(Ctx), Out(Out) {}
  void beginEntry(const clang::FunctionDecl *Entry) override {
    CurrentEntry = Entry;
  }
  void visitCall(const CallSite &Site) override;

  /// Whether FD's body makes a condition wait: the functions this check
  /// needs the engine to walk.
  bool needsEntry(const clang::FunctionDecl *FD) override;

  /// Whether a modelled call is a wait on a condition variable (it blocks
  /// and releases a lock while it does), rather than a mutex's own
  /// predicate wait (absl::Mutex::Await).
  static bool isConditionWait(const MatchedEffect &M);

private:
  bool hasPredicate(const CallSite &Site) const;
  /// Whether a branch evaluated after the wait lies on a cycle through it
  /// and can leave that cycle: the wait is re-checked by a loop.
  bool recheckedByLoop(const clang::CFG &G, const clang::Stmt *Wait) const;
  /// The condition of the `if` that guards the wait, if any: the
  /// condition a loop should re-check.
  const clang::Expr *guardingIfCondition(const clang::Expr *Wait) const;

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
  const clang::FunctionDecl *CurrentEntry = nullptr;
};

} // namespace concur

#endif
