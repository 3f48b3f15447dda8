//===- BlockingSummaries.h - Which functions may block ----------*- C++ -*-===//
//
// A bottom-up summary of every function with a body in the translation unit:
// may a call to it block, and through which chain of calls. Computed on
// demand and memoised; a function being summarised counts as non-blocking
// for the calls that reach it again, so recursion terminates.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_BLOCKINGSUMMARIES_H
#define CONCUR_ENGINE_BLOCKINGSUMMARIES_H

#include "checks/engine/ApiModels.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>
#include <string>

namespace concur {

class LockSetAnalysis;

struct BlockSummary {
  bool Blocks = false;
  BlockKind Kind = BlockKind::None;
  /// The call in this function that blocks, and its callee.
  const clang::Expr *Site = nullptr;
  const clang::FunctionDecl *Callee = nullptr;
  /// True when Callee is itself a modelled blocking operation; otherwise
  /// follow Callee's own summary.
  bool Direct = false;
  /// The blocking operation releases the lock passed as this parameter
  /// (a helper that waits on a condition variable with the caller's lock).
  std::optional<unsigned> ReleasesParam;
  /// ... or the lock at this path from `this` ("*this.Queue::mu_"), or a
  /// global lock's path.
  std::string ReleasesMemberPath;
  /// ... or a lock we cannot relate to the caller's (a local guard that
  /// adopted a mutex reached through a pointer member, as leveldb's
  /// port::CondVar::Wait does): it may be any one of the caller's locks.
  bool ReleasesUnknownLock = false;
  /// The function unlocks a lock it did not take itself (one of its
  /// caller's), whether or not it blocks: the project-wide link needs it
  /// for blocks found through callees in other files.
  bool UnlocksCallersLock = false;

  bool releasesSomething() const {
    return ReleasesParam || !ReleasesMemberPath.empty() || ReleasesUnknownLock;
  }
};

/// The calls a function body makes itself, in source order, outside lambdas
/// (those run elsewhere, or are replayed by the dataflow).
llvm::SmallVector<const clang::CallExpr *, 16> directCalls(const clang::Stmt *Body);

class BlockingSummaries {
public:
  BlockingSummaries(clang::ASTContext &Ctx, const ModelMatcher &Models)
      : Ctx(Ctx), Models(Models) {}

  /// Whether a call with this model blocks (a zero timeout does not).
  static bool callBlocks(const MatchedEffect &M, const clang::CallExpr *Call,
                         const clang::ASTContext &Ctx);
  static bool constructBlocks(const MatchedEffect &M);

  /// The summary of a function that is not itself a modelled API.
  BlockSummary summaryOf(const clang::FunctionDecl *FD);

  /// Lets the summaries ask which calls cannot block on their path (I/O on
  /// a descriptor the function made non-blocking).
  void setLockFlow(LockSetAnalysis *L) { Flow = L; }

private:
  BlockSummary compute(const clang::FunctionDecl *FD);

  clang::ASTContext &Ctx;
  const ModelMatcher &Models;
  LockSetAnalysis *Flow = nullptr;
  llvm::DenseMap<const clang::FunctionDecl *, BlockSummary> Summaries;
};

} // namespace concur

#endif
