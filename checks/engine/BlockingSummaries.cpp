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
  CallParts Parts = splitCall(Call);
  if (M.Fx->TimeoutArg && *M.Fx->TimeoutArg < Parts.Args.size() &&
      isZeroTimeout(Parts.Args[*M.Fx->TimeoutArg], Ctx))
    return false;
  // recv(fd, buf, n, MSG_DONTWAIT), read(-1, ...).
  return !cannotBlockByArguments(*M.Fx, Parts.Args, Ctx);
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

namespace {

/// The path of a lock expression, whether it names the object or points to
/// it (`mu_`, `&mu_`, `mu` of type Mutex *): "*this.Event::mu_".
std::string lockPath(const Expr *E) {
  const Expr *S = stripExpr(E);
  if (!S)
    return "";
  return S->getType()->isPointerType() ? pointeePath(S) : objectPath(S);
}

/// The locks a body takes itself, by path, with where: a lock call, a guard
/// constructed on it. A wait that releases one of them, after it was taken,
/// gives back only what the function took: its caller's locks stay held.
class OwnAcquisitions : public RecursiveASTVisitor<OwnAcquisitions> {
public:
  OwnAcquisitions(const ModelMatcher &Models, const SourceManager &SM)
      : Models(Models), SM(SM) {}

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCallExpr(CallExpr *C) {
    MatchedEffect M = Models.effectOfCall(C);
    if (!M || (M.Fx->Lock != LockOp::Acquire && M.Fx->Lock != LockOp::TryAcquire))
      return true;
    CallParts Parts = splitCall(C);
    if (M.Type && M.Type->Kind == TypeKind::Guard) {
      // `lk.lock()` on a guard declared deferred: its lock.
      if (const Expr *Locked = Models.guardVariableLock(Parts.Receiver))
        note(Locked, C->getExprLoc());
      return true;
    }
    if (M.Fx->Args.isReceiver()) {
      if (Parts.Receiver)
        note(Parts.Receiver, C->getExprLoc());
      return true;
    }
    for (unsigned I = 0; I < Parts.Args.size(); ++I)
      if (M.Fx->Args.All || llvm::is_contained(M.Fx->Args.Indices, I))
        note(Parts.Args[I], C->getExprLoc());
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    MatchedEffect M = Models.effectOfConstruct(CE);
    if (!M || (M.Fx->Lock != LockOp::Acquire && M.Fx->Lock != LockOp::TryAcquire))
      return true;
    llvm::SmallVector<const Expr *, 4> Args(CE->arguments());
    for (const Expr *Lock : Models.lockArguments(*M.Fx, Args))
      note(Lock, CE->getBeginLoc());
    return true;
  }

  /// Whether the lock at Path was taken in the body before Use.
  bool takenBefore(llvm::StringRef Path, SourceLocation Use) const {
    for (auto &[P, Loc] : Taken)
      if (P == Path && SM.isBeforeInTranslationUnit(Loc, Use))
        return true;
    return false;
  }


private:
  void note(const Expr *Lock, SourceLocation Loc) {
    std::string P = lockPath(Lock);
    if (!P.empty())
      Taken.push_back({P, Loc});
  }

  const ModelMatcher &Models;
  const SourceManager &SM;
  llvm::SmallVector<std::pair<std::string, SourceLocation>, 4> Taken;
};

/// The lock a member condition variable was constructed with, in its
/// class's terms (`cv_{&mu_}` or `cv_(&mu_)` in a constructor):
/// "*this.Notification::mu_"; empty when it is bound to a constructor's
/// parameter (the caller's lock) or not found.
std::string boundLockPath(const Expr *CV, const ModelMatcher &Models) {
  const auto *ME = dyn_cast_or_null<MemberExpr>(stripExpr(CV));
  const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  const auto *RD = F ? dyn_cast<CXXRecordDecl>(F->getParent()) : nullptr;
  if (!RD || !isa<CXXThisExpr>(stripExpr(ME->getBase())))
    return "";
  std::string Found;
  for (const auto &Args : memberInitLockArgs(F, Models))
    for (const Expr *Arg : Args) {
      std::string P = lockPath(Arg);
      // Every constructor must bind the same member lock.
      if (!llvm::StringRef(P).starts_with("*this") || (!Found.empty() && P != Found))
        return "";
      Found = P;
    }
  return Found;
}

} // namespace

/// Which lock a modelled wait inside FD releases, from FD's callers' point
/// of view: one FD took itself (nothing of theirs: a plain block), a
/// parameter, a member or global lock they may hold, or one concur cannot
/// name (a lock bound at construction to the caller's, as a wrapper of a
/// condition variable does).
static void resolveReleasedLock(const CallExpr *Wait, const MatchedEffect &M,
                                const OwnAcquisitions &Own,
                                const ModelMatcher &Models,
                                BlockSummary &Result) {
  SourceLocation At = Wait->getExprLoc();
  // A lock expression the wait releases, in the callee's terms.
  auto Classify = [&](const Expr *Lock) {
    const Expr *A = stripExpr(Lock);
    if (const auto *U = dyn_cast_or_null<UnaryOperator>(A);
        U && U->getOpcode() == UO_AddrOf)
      A = stripExpr(U->getSubExpr());
    if (!A) {
      Result.ReleasesUnknownLock = true;
      return;
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(A);
    if (const auto *Param = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr) {
      Result.ReleasesParam = Param->getFunctionScopeIndex();
      return;
    }
    std::string Path = lockPath(Lock);
    if (!Path.empty() && Own.takenBefore(Path, At))
      return; // taken here: the wait gives back only that
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (VD && VD->isLocalVarDecl() && !VD->getType()->isReferenceType() &&
        !VD->getType()->isPointerType())
      return; // a lock object of the function's own
    llvm::StringRef P(Path);
    if (P.starts_with("*this") || (VD && VD->hasGlobalStorage()))
      Result.ReleasesMemberPath = Path;
    else
      Result.ReleasesUnknownLock = true;
  };
  CallParts Parts = splitCall(Wait);
  if (M.Fx->ReleasesArg && *M.Fx->ReleasesArg < Parts.Args.size()) {
    const Expr *Arg = Parts.Args[*M.Fx->ReleasesArg];
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(stripExpr(Arg));
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    // A local guard: what it was constructed on (taken, adopted or
    // deferred and locked later all come down to that lock).
    if (const Expr *Guarded = Models.guardVariableLock(Arg)) {
      const auto *CE = dyn_cast<CXXConstructExpr>(VD->getInit()->IgnoreImplicit());
      MatchedEffect G = Models.effectOfConstruct(CE);
      if (G.Fx->Lock == LockOp::Acquire || G.Fx->Lock == LockOp::TryAcquire)
        return; // the guard took it here
      Classify(Guarded);
      return;
    }
    Classify(Arg);
    return;
  }
  if (!M.Fx->ReleasesThis || !Parts.Receiver)
    return;
  if (M.Type && M.Type->Kind == TypeKind::ConditionVariable) {
    // A member condition variable bound to a member lock; else the lock it
    // was given at construction, which may be any of the caller's.
    std::string Bound = boundLockPath(Parts.Receiver, Models);
    if (Bound.empty())
      Result.ReleasesUnknownLock = true;
    else if (!Own.takenBefore(Bound, At))
      Result.ReleasesMemberPath = Bound;
    return;
  }
  Classify(Parts.Receiver); // a lock's own wait (absl::Mutex::Await)
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
  OwnAcquisitions Own(Models, Ctx.getSourceManager());
  Own.TraverseStmt(const_cast<Stmt *>(Def->getBody()));
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
    // Unlocking what the function locked itself before gives back nothing
    // of its caller's.
    for (const Expr *T : Targets)
      UnlocksOutside |= mayBeCallersLock(T) &&
                        !Own.takenBefore(lockPath(T), C->getExprLoc());
  }
  Result.UnlocksCallersLock = UnlocksOutside;
  // Descriptor I/O that cannot block on its path, computed on first need.
  std::optional<llvm::SmallPtrSet<const CallExpr *, 4>> NonBlocking;
  for (const CallExpr *C : Calls) {
    const FunctionDecl *Callee = C->getDirectCallee();
    if (!Callee)
      continue;
    MatchedEffect M = Models.effectOfCall(C);
    if (M) {
      if (!callBlocks(M, C, Ctx))
        continue;
      if (M.Fx->DescriptorArg && Flow) {
        if (!NonBlocking)
          NonBlocking = Flow->callsThatCannotBlock(Def);
        if (NonBlocking->count(C))
          continue;
      }
      Result.Blocks = true;
      Result.Kind = M.Fx->Block;
      Result.Site = C;
      Result.Callee = Callee;
      Result.Direct = true;
      // A wait that releases a lock handed in by the caller, or a member
      // lock, blocks only with respect to the caller's other locks; one
      // that releases a lock taken here blocks the caller outright.
      resolveReleasedLock(C, M, Own, Models, Result);
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
