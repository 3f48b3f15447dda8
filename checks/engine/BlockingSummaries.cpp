//===- BlockingSummaries.cpp ----------------------------------------------===//

#include "checks/engine/BlockingSummaries.h"
#include "checks/engine/LockDataflow.h"
#include "checks/engine/LockIdentity.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concur {

bool BlockingSummaries::callBlocks(const MatchedEffect &M, const CallExpr *Call,
                                   const ASTContext &Ctx) {
  if (!M || M.Fx->Block == BlockKind::None)
    return false;
  if (M.Fx->TimeoutArg) {
    unsigned Idx = *M.Fx->TimeoutArg;
    // Member operator calls list the object first.
    if (isa<CXXOperatorCallExpr>(Call) &&
        isa_and_nonnull<CXXMethodDecl>(Call->getDirectCallee()))
      ++Idx;
    if (Idx < Call->getNumArgs() && isZeroTimeout(Call->getArg(Idx), Ctx))
      return false;
  }
  return true;
}

bool BlockingSummaries::constructBlocks(const MatchedEffect &M) {
  return M && M.Fx->Block != BlockKind::None;
}

namespace {

/// The calls a function makes itself, in source order, outside lambdas
/// (those run elsewhere, or are replayed by the lock dataflow).
class CallCollector : public RecursiveASTVisitor<CallCollector> {
public:
  llvm::SmallVector<const CallExpr *, 16> Calls;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCallExpr(CallExpr *C) {
    Calls.push_back(C);
    return true;
  }
};

} // namespace

BlockSummary BlockingSummaries::summaryOf(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto It = Summaries.find(FD);
  if (It != Summaries.end())
    return It->second;
  Summaries[FD] = BlockSummary(); // in progress: not blocking, for recursion
  BlockSummary S = compute(FD);
  Summaries[FD] = S;
  return S;
}

BlockSummary BlockingSummaries::compute(const FunctionDecl *FD) {
  BlockSummary Result;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def)
    return Result;
  // Library internals are either modelled or not worth following: they
  // would report the implementation of std::mutex::lock as blocking.
  if (Ctx.getSourceManager().isInSystemHeader(Def->getLocation()))
    return Result;

  CallCollector Collector;
  Collector.TraverseStmt(Def->getBody());
  std::optional<BlockSummary> Indirect;
  const CallExpr *IndirectSite = nullptr;
  for (const CallExpr *C : Collector.Calls) {
    const FunctionDecl *Callee = C->getDirectCallee();
    if (!Callee)
      continue;
    MatchedEffect M = Models.effectOfCall(C);
    if (M) {
      if (!callBlocks(M, C, Ctx))
        continue;
      Result.Blocks = true;
      Result.Kind = M.Fx->Block;
      Result.Site = C;
      Result.Callee = Callee;
      Result.Direct = true;
      // A wait that releases a lock handed in by the caller, or a member
      // lock, blocks only with respect to the caller's other locks.
      llvm::SmallVector<const Expr *, 4> Args(C->arguments());
      if (M.Fx->ReleasesArg && *M.Fx->ReleasesArg < Args.size()) {
        const Expr *A = stripExpr(Args[*M.Fx->ReleasesArg]);
        if (const auto *U = dyn_cast<UnaryOperator>(A);
            U && U->getOpcode() == UO_AddrOf)
          A = stripExpr(U->getSubExpr());
        const auto *DRE = dyn_cast<DeclRefExpr>(A);
        const auto *Param = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
        const auto *ME = dyn_cast<MemberExpr>(A);
        if (Param)
          Result.ReleasesParam = Param->getFunctionScopeIndex();
        else if (ME && !objectPath(ME).empty())
          Result.ReleasesMemberPath = objectPath(ME);
        else
          Result.ReleasesUnknownLock = true;
      }
      if (M.Fx->ReleasesThis) {
        const auto *MC = dyn_cast<CXXMemberCallExpr>(C);
        std::string Path =
            MC ? objectPath(MC->getImplicitObjectArgument()) : std::string();
        if (!Path.empty())
          Result.ReleasesMemberPath = Path;
        else
          Result.ReleasesUnknownLock = true;
      }
      return Result; // a direct block is the best explanation
    }
    if (Indirect || Callee->getCanonicalDecl() == FD->getCanonicalDecl())
      continue;
    BlockSummary Sub = summaryOf(Callee);
    // A callee's wait that releases a lock is not followed further: what it
    // releases cannot be related to this function's callers.
    if (Sub.Blocks && !Sub.releasesSomething()) {
      Indirect = Sub;
      IndirectSite = C;
    }
  }
  if (Indirect) {
    Result.Blocks = true;
    Result.Kind = Indirect->Kind;
    Result.Site = IndirectSite;
    Result.Callee = IndirectSite->getDirectCallee();
  }
  return Result;
}

} // namespace concur
