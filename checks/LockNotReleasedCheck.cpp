//===- LockNotReleasedCheck.cpp -------------------------------------------===//

#include "checks/LockNotReleasedCheck.h"
#include "checks/DoubleLockCheck.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace concur {

static std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

bool LockNotReleasedCheck::acquiresForCaller(const FunctionDecl *FD) {
  if (FD->hasAttr<AcquireCapabilityAttr>() ||
      FD->hasAttr<TryAcquireCapabilityAttr>())
    return true;
  if (!FD->getIdentifier())
    return false;
  std::string Name = FD->getName().lower();
  return llvm::StringRef(Name).contains("lock") ||
         llvm::StringRef(Name).contains("acquire");
}

bool LockNotReleasedCheck::heldByHand(const ExitPath &P, LockId Lock) {
  const LockFact *F = P.State.Held.lookup(Lock);
  return F && F->held() && !F->Guard && !F->Asserted;
}

/// The constant truth value a return statement gives, if any.
static std::optional<bool> returnedTruth(const Stmt *Leaves,
                                         const ASTContext &Ctx) {
  const auto *R = dyn_cast_or_null<ReturnStmt>(Leaves);
  bool Value = false;
  if (!R || !R->getRetValue() || R->getRetValue()->isValueDependent() ||
      !R->getRetValue()->EvaluateAsBooleanCondition(Value, Ctx))
    return std::nullopt;
  return Value;
}

bool LockNotReleasedCheck::isTryWrapper(const FunctionDecl *FD, LockId Lock,
                                        llvm::ArrayRef<ExitPath> Exits) const {
  if (!FD->getReturnType()->isBooleanType())
    return false;
  for (const ExitPath &P : Exits) {
    if (P.Throws)
      continue;
    std::optional<bool> V = returnedTruth(P.LeavesAt, Ctx.AST);
    if (!V || *V != heldByHand(P, Lock))
      return false;
  }
  return true;
}

void LockNotReleasedCheck::beginEntry(const FunctionDecl *) {
  GuardedLocks.clear();
  CallersLocks.clear();
}

void LockNotReleasedCheck::visitCall(const CallSite &Site) {
  const auto *Call = dyn_cast<CallExpr>(Site.E);
  if (!Call || !Site.Model || Site.Model.Fx->Lock != LockOp::Release)
    return;
  CallParts Parts = splitCall(Call);
  llvm::SmallVector<const Expr *, 2> Targets;
  if (Site.Model.Fx->Args.isReceiver())
    Targets.push_back(Parts.Receiver);
  else
    for (unsigned I = 0; I < Parts.Args.size(); ++I)
      if (Site.Model.Fx->Args.All ||
          llvm::is_contained(Site.Model.Fx->Args.Indices, I))
        Targets.push_back(Parts.Args[I]);
  for (const Expr *T : Targets)
    if (T)
      for (LockId L : Ctx.LockFlow.locksOfArgument(T)) {
        // Not taken here: unheld, or known held only from an assertion
        // (rocksdb's db_mutex_->AssertHeld() at the top).
        const LockFact *F = Site.Held.lookup(L);
        if ((!F || F->Asserted) && !llvm::is_contained(CallersLocks, L))
          CallersLocks.push_back(L);
      }
}

void LockNotReleasedCheck::visitAcquire(const AcquireSite &Site) {
  if (isa_and_nonnull<DeclStmt>(Site.S) &&
      !llvm::is_contained(GuardedLocks, Site.Lock))
    GuardedLocks.push_back(Site.Lock);
}

bool LockNotReleasedCheck::releasesCallersLock(const FunctionDecl *FD,
                                               LockId Lock) {
  llvm::StringRef Path = Ctx.Locks.path(Lock);
  for (const SummaryLock &L : Summaries.summaryOf(FD).Releases) {
    if (!L.Param) {
      if (L.Path == Path)
        return true;
      continue;
    }
    if (*L.Param < FD->getNumParams()) {
      std::string P = variablePath(FD->getParamDecl(*L.Param));
      if (Path == P || Path == "*" + P)
        return true;
    }
  }
  return false;
}

void LockNotReleasedCheck::endEntry(const FunctionDecl *Entry,
                                    llvm::ArrayRef<ExitPath> Exits) {
  if (Exits.size() < 2 || acquiresForCaller(Entry))
    return;
  // The locks held by hand on some way out, first seen first.
  llvm::SmallVector<LockId, 4> Candidates;
  for (const ExitPath &P : Exits)
    for (auto &KV : P.State.Held)
      if (heldByHand(P, KV.first) && !llvm::is_contained(Candidates, KV.first))
        Candidates.push_back(KV.first);
  if (Candidates.empty())
    return;
  llvm::DenseSet<LockId> Released =
      locksReleasedByCallees(Entry, Ctx, Summaries);
  for (LockId Lock : Candidates) {
    // Held on every normal way out: the function hands the lock to its
    // caller on purpose (a begin/end pair), which is not this check's.
    bool ReleasedSomewhere = llvm::any_of(Exits, [&](const ExitPath &P) {
      return !P.Throws && !heldByHand(P, Lock);
    });
    if (!ReleasedSomewhere || Released.count(Lock) ||
        llvm::is_contained(GuardedLocks, Lock) ||
        llvm::is_contained(CallersLocks, Lock) ||
        releasesCallersLock(Entry, Lock) || isTryWrapper(Entry, Lock, Exits))
      continue;
    std::string Name = quoted(Ctx.Locks.displayName(Lock));
    for (const ExitPath &P : Exits) {
      if (!heldByHand(P, Lock))
        continue;
      const LockFact *Fact = P.State.Held.lookup(Lock);
      Finding F;
      F.CheckId = Id;
      F.Loc = P.Loc;
      if (P.Throws)
        F.Message = "lock " + Name + " is still held when the exception "
                    "thrown here leaves the function";
      else if (P.LeavesAt)
        F.Message = "lock " + Name + " is still held when the function "
                    "returns here";
      else
        F.Message = "lock " + Name + " is still held when the function "
                    "ends here";
      F.Message += "; other paths release it, and nothing will on this one";
      F.Notes.push_back({Fact->Acquired, "lock " + Name + " acquired here"});
      F.FlowStartNote = 0;
      Out.push_back(std::move(F));
    }
  }
}

} // namespace concur
