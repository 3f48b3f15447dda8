//===- ReleaseWindows.cpp - Where a function lets go of its lock ----------===//

#include "checks/unguarded/ReleaseWindows.h"
#include "clang/Analysis/CFG.h"

using namespace clang;

namespace concur::unguarded {

void ReleaseWindows::noteRelease(const FunctionDecl *FD, const Stmt *S, LockId L) {
  auto &Rs = Functions[FD].Releases;
  if (llvm::none_of(Rs, [&](const Site &R) { return R.S == S && R.Lock == L; }))
    Rs.push_back({S, L});
}

void ReleaseWindows::noteAcquire(const FunctionDecl *FD, const Stmt *S, LockId L) {
  // Only a function that releases a lock it holds can open a window, but
  // an acquisition may be seen before the release: keep both.
  auto &As = Functions[FD].Acquires;
  if (llvm::none_of(As, [&](const Site &A) { return A.S == S && A.Lock == L; }))
    As.push_back({S, L});
}

void ReleaseWindows::index(const FunctionDecl *FD, FunctionWindows &W) {
  W.Indexed = true;
  // The definition's CFG is the one the lock dataflow built and cached.
  const FunctionDecl *Def = FD->getDefinition();
  W.G = CFGs.get(Def ? Def : FD);
  if (!W.G)
    return;
  // The CFG is built with every expression as an element, so the
  // statements the observers see are found by identity.
  for (const CFGBlock *B : *W.G) {
    unsigned I = 0;
    for (const CFGElement &E : *B) {
      if (std::optional<CFGStmt> S = E.getAs<CFGStmt>())
        W.Positions.try_emplace(S->getStmt(), Position{B, I});
      ++I;
    }
  }
  W.Reach = std::make_unique<CFGReverseBlockReachabilityAnalysis>(*W.G);
  for (const Site &R : W.Releases)
    for (const Site &A : W.Acquires)
      if (A.Lock == R.Lock && !reaches(W, A.S, R.S))
        W.Bounds.push_back({R, A});
}

bool ReleaseWindows::reaches(FunctionWindows &W, const Stmt *From, const Stmt *To) {
  auto F = W.Positions.find(From), T = W.Positions.find(To);
  if (F == W.Positions.end() || T == W.Positions.end())
    return false;
  const CFGBlock *FB = F->second.Block, *TB = T->second.Block;
  if (FB != TB)
    return W.Reach->isReachable(FB, TB);
  if (F->second.Index < T->second.Index)
    return true;
  // Later in the block, or the same statement: only round a loop.
  for (const CFGBlock *Succ : FB->succs())
    if (Succ && (Succ == FB || W.Reach->isReachable(Succ, FB)))
      return true;
  return false;
}

llvm::SmallVector<LockId, 1> ReleaseWindows::around(const FunctionDecl *FD,
                                                    const Stmt *Access) {
  llvm::SmallVector<LockId, 1> Out;
  auto It = Functions.find(FD);
  if (It == Functions.end() || It->second.Releases.empty())
    return Out;
  FunctionWindows &W = It->second;
  if (!W.Indexed)
    index(FD, W);
  if (!W.G)
    return Out;
  for (const auto &[R, A] : W.Bounds)
    if (!llvm::is_contained(Out, R.Lock) && reaches(W, R.S, Access) &&
        reaches(W, Access, A.S))
      Out.push_back(R.Lock);
  return Out;
}

} // namespace concur::unguarded
