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
    CallParts Parts = splitCall(Call);
    if (*M.Fx->TimeoutArg < Parts.Args.size() &&
        isZeroTimeout(Parts.Args[*M.Fx->TimeoutArg], Ctx))
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

llvm::SmallVector<const CallExpr *, 16> directCalls(const Stmt *Body) {
  CallCollector Collector;
  Collector.TraverseStmt(const_cast<Stmt *>(Body));
  return std::move(Collector.Calls);
}

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

/// Whether an unlock in a callee may release a lock its caller holds: the
/// lock (or guard) is not a local object of the callee.
static bool mayBeCallersLock(const Expr *E) {
  E = stripExpr(E);
  if (const auto *U = dyn_cast_or_null<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = stripExpr(U->getSubExpr());
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      return !VD->isLocalVarDecl() || VD->getType()->isReferenceType() ||
             VD->getType()->isPointerType();
  return true; // a member, a parameter, a global, something reached through them
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

  llvm::SmallVector<const CallExpr *, 16> Calls = directCalls(Def->getBody());
  std::optional<BlockSummary> Indirect;
  const CallExpr *IndirectSite = nullptr;
  // An unlock of a lock the callee did not create itself may release one
  // of the caller's locks before the callee blocks.
  bool UnlocksOutside = false;
  for (const CallExpr *C : Calls) {
    MatchedEffect M = Models.effectOfCall(C);
    if (!M || M.Fx->Lock != LockOp::Release)
      continue;
    llvm::SmallVector<const Expr *, 4> Targets;
    if (M.Fx->Args.isReceiver()) {
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
        Targets.push_back(MC->getImplicitObjectArgument());
    } else {
      for (unsigned I = 0; I < C->getNumArgs(); ++I)
        if (M.Fx->Args.All || llvm::is_contained(M.Fx->Args.Indices, I))
          Targets.push_back(C->getArg(I));
    }
    for (const Expr *T : Targets)
      UnlocksOutside |= mayBeCallersLock(T);
  }
  for (const CallExpr *C : Calls) {
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
      CallParts Parts = splitCall(C);
      llvm::ArrayRef<const Expr *> Args = Parts.Args;
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
      if (M.Fx->ReleasesThis && M.Type &&
          M.Type->Kind == TypeKind::ConditionVariable) {
        Result.ReleasesUnknownLock = true; // the lock it was constructed with
      } else if (M.Fx->ReleasesThis) {
        const auto *MC = dyn_cast<CXXMemberCallExpr>(C);
        std::string Path =
            MC ? objectPath(MC->getImplicitObjectArgument()) : std::string();
        if (!Path.empty())
          Result.ReleasesMemberPath = Path;
        else
          Result.ReleasesUnknownLock = true;
      }
      Result.ReleasesUnknownLock |= UnlocksOutside;
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
    Result.ReleasesUnknownLock = UnlocksOutside;
  }
  return Result;
}

} // namespace concur
