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
// Also `this` handed to such a task by a member function called on a local
// object of the caller (`Session s; s.start();` where start() detaches a
// thread capturing `this`): the object dies with the caller's frame.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_DETACHEDCAPTURECHECK_H
#define CONCUR_CHECKS_DETACHEDCAPTURECHECK_H

#include "checks/engine/SpawnSites.h"
#include "checks/engine/TranslationUnitAnalysis.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>

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
  bool needsEntry(const clang::FunctionDecl *FD) override;

private:
  /// A member function that lets go of a task holding `this`: a detached
  /// thread or a deferred task that captures `this` (or is `&C::m` bound to
  /// it), with no wait after it in that function.
  struct ThisEscape {
    SpawnedTask Task;
    const clang::Expr *LetGo = nullptr;
    clang::SourceLocation Capture;
  };

  /// Where the task is let go: the detach() call, or the deferred spawn
  /// itself; null when the spawner Fn keeps it.
  const clang::Expr *letGo(const SpawnedTask &T,
                           const clang::FunctionDecl *Fn) const;
  /// A blocking wait in Fn after the spawn (the last one in Fn).
  const clang::Expr *waitAfter(const clang::Expr *Spawn,
                               const clang::FunctionDecl *Fn) const;
  /// What the queries above need of a function, gathered in one walk of
  /// its body: asked once per spawn, they stay linear in the body.
  struct FunctionCalls {
    llvm::SmallVector<const clang::Expr *, 16> Calls;
    /// The first detach() of each local thread.
    llvm::DenseMap<const clang::VarDecl *, const clang::CallExpr *> Detaches;
    const clang::CallExpr *LastWait = nullptr;
  };
  const FunctionCalls &callsIn(const clang::FunctionDecl *Fn) const;
  mutable llvm::DenseMap<const clang::FunctionDecl *,
                         std::unique_ptr<FunctionCalls>>
      CallCache;
  const ThisEscape *escapesThis(const clang::FunctionDecl *Method);
  /// The local object (of the current entry) a member call is made on, and
  /// the escape of the method called, if that method lets `this` go.
  const ThisEscape *localObjectEscape(const clang::Expr *Call,
                                      const clang::VarDecl *&Object);
  /// Whether the current entry waits after Call: a modelled wait, or a
  /// call on Object of a member function that may block.
  bool waitsForObject(const clang::Expr *Call, const clang::VarDecl *Object);
  void report(const SpawnedTask &T, const clang::Expr *LetGo,
              const clang::VarDecl *Var, clang::SourceLocation At,
              llvm::StringRef How);
  void reportThis(const clang::Expr *Call, const clang::VarDecl *Object,
                  const ThisEscape &Escape);
  /// Where a local of the current entry dies.
  clang::SourceLocation diesAt(const clang::VarDecl *Var) const;

  llvm::DenseMap<const clang::FunctionDecl *, std::optional<ThisEscape>>
      Escapes;

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
  const clang::FunctionDecl *CurrentEntry = nullptr;
};

} // namespace concur

#endif
