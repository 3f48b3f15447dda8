//===- DetachedCaptureCheck.h -----------------------------------*- C++ -*-===//
//
// concur-detached-capture: a task that can outlive the function that starts
// it (a detached std::thread, a callable given to a spawn point the rules
// mark "deferred": a pool's submit, an event loop's post) and that captures
// a local variable or a parameter of that function by reference (or gets a
// std::ref or a pointer to one). When the function returns first, the task
// reads and writes a dead stack frame. A blocking wait after the spawn (a
// join, a future's get, a latch or WaitGroup wait) is taken to wait for the
// task.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_DETACHEDCAPTURECHECK_H
#define CONCUR_CHECKS_DETACHEDCAPTURECHECK_H

#include "checks/engine/SpawnSites.h"
#include "checks/engine/TranslationUnitAnalysis.h"

namespace concur {

class DetachedCaptureCheck : public TranslationUnitCheck {
public:
  static constexpr const char *Id = "concur-detached-capture";

  DetachedCaptureCheck(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : Ctx(Ctx), Out(Out) {}
  void beginEntry(const clang::FunctionDecl *Entry) override {
    CurrentEntry = Entry;
  }
  void visitCall(const CallSite &Site) override;

  /// Whether FD has a spawn point: the functions this check needs.
  bool needsEntry(const clang::FunctionDecl *FD) const override;

private:
  /// Where the task is let go: the detach() call, or the deferred spawn
  /// itself; null when the spawner keeps it.
  const clang::Expr *letGo(const SpawnedTask &T) const;
  /// A blocking wait in the spawner after the spawn.
  const clang::Expr *waitAfter(const clang::Expr *Spawn) const;
  void report(const SpawnedTask &T, const clang::Expr *LetGo,
              const clang::VarDecl *Var, clang::SourceLocation At,
              llvm::StringRef How);

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
  const clang::FunctionDecl *CurrentEntry = nullptr;
};

} // namespace concur

#endif
