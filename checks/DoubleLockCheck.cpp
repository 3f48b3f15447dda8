//===- DoubleLockCheck.cpp ------------------------------------------------===//

#include "checks/DoubleLockCheck.h"
#include "checks/engine/BlockingSummaries.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace concur {

static std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

llvm::DenseSet<LockId> locksReleasedByCallees(const FunctionDecl *FD,
                                              AnalysisContext &Ctx,
                                              AcquireSummaries &Summaries) {
  llvm::DenseSet<LockId> Out;
  if (!FD->hasBody())
    return Out;
  for (const CallExpr *C : directCalls(FD->getBody())) {
    const FunctionDecl *Callee = C->getDirectCallee();
    if (!Callee || Ctx.Models.effectOfCall(C))
      continue; // a modelled release is the dataflow's
    if (Callee->hasAttr<ReleaseCapabilityAttr>())
      continue; // so is an annotated one
    for (const SummaryLock &L : Summaries.summaryOf(Callee).Releases)
      if (std::optional<LockId> Id =
              AcquireSummaries::atCall(L, C, Ctx.LockFlow, Ctx.Locks))
        Out.insert(*Id);
  }
  return Out;
}

void DoubleLockCheck::beginEntry(const FunctionDecl *Entry) {
  ReleasedByCallees = locksReleasedByCallees(Entry, Ctx, Summaries);
}

const char *DoubleLockCheck::conflict(LockMode Held, LockMode Wanted) {
  if (Held == LockMode::Exclusive && Wanted == LockMode::Exclusive)
    return "a non-recursive mutex locked twice by one thread deadlocks";
  if (Held == LockMode::Shared && Wanted == LockMode::Exclusive)
    return "upgrading a shared lock to an exclusive one deadlocks: the "
           "exclusive lock waits for every shared hold to end, its own too";
  if (Held == LockMode::Exclusive && Wanted == LockMode::Shared)
    return "a shared lock requested by the thread holding the lock "
           "exclusively deadlocks";
  return nullptr;
}

void DoubleLockCheck::addHeldNote(Finding &F, LockId Lock, const LockFact &Fact,
                                  llvm::ArrayRef<const Expr *> InlinedVia) {
  F.Notes.push_back({Fact.Acquired,
                     std::string(Fact.Mode == LockMode::Shared ? "shared " : "") +
                         "lock " + quoted(Ctx.Locks.displayName(Lock)) +
                         (Fact.Asserted ? " asserted held here"
                                        : " first acquired here")});
  F.FlowStartNote = 0;
  for (const Expr *Via : InlinedVia)
    F.Notes.push_back({Via->getExprLoc(),
                       "the lambda runs here, with the caller's locks held"});
}

void DoubleLockCheck::visitAcquire(const AcquireSite &Site) {
  if (Site.Try || Site.Recursive || ReleasedByCallees.count(Site.Lock))
    return;
  const LockFact *Held = Site.Held.lookup(Site.Lock);
  if (!Held || !Held->held())
    return;
  const char *Why = conflict(Held->Mode, Site.Mode);
  if (!Why)
    return;
  std::string Name = quoted(Ctx.Locks.displayName(Site.Lock));
  Finding F;
  F.CheckId = Id;
  F.Loc = Site.Loc;
  if (const auto *E = dyn_cast_or_null<Expr>(Site.S); E && isa<CallExpr>(E))
    F.EndLoc = ModelMatcher::calleeNameEnd(E);
  F.Message = std::string(Site.Mode == LockMode::Shared ? "shared " : "") +
              "lock " + Name + " acquired while this thread already holds it" +
              (Held->Mode == LockMode::Shared ? " shared" : "") + "; " + Why;
  addHeldNote(F, Site.Lock, *Held, Site.InlinedVia);
  Out.push_back(std::move(F));
}

void DoubleLockCheck::visitCall(const CallSite &Site) {
  const auto *Call = dyn_cast<CallExpr>(Site.E);
  if (Site.Held.isEmpty() || Site.Model || !Call || !Site.Callee)
    return;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Site.Callee);
      MD && MD->getParent()->isLambda())
    return; // replayed in place: its own acquisitions are seen directly
  if (Site.Callee->hasAttr<AcquireCapabilityAttr>())
    return; // the dataflow takes the lock at the call: visitAcquire
  const AcquireSummary &S = Summaries.summaryOf(Site.Callee);
  for (unsigned I = 0; I < S.Acquires.size(); ++I) {
    const SummaryAcquire &A = S.Acquires[I];
    if (AcquireSummaries::ruledOutAt(A, Call, Ctx.AST))
      continue; // the call passes the flag that makes the callee skip it
    std::optional<LockId> Lock =
        AcquireSummaries::atCall(A.Lock, Call, Ctx.LockFlow, Ctx.Locks);
    if (!Lock || ReleasedByCallees.count(*Lock))
      continue;
    const LockFact *Held = Site.Held.lookup(*Lock);
    if (!Held || !Held->held() || Held->Nested)
      continue; // a lock held more than once is a recursive one
    const char *Why = conflict(Held->Mode, A.Mode);
    if (!Why)
      continue;
    std::string Innermost;
    std::vector<FindingNote> Chain = Summaries.chainTo(Site.Callee, I, &Innermost);
    std::string Callee = ModelMatcher::calleeName(Site.E, Site.Callee);
    Finding F;
    F.CheckId = Id;
    F.Loc = Site.E->getExprLoc();
    F.EndLoc = ModelMatcher::calleeNameEnd(Site.E);
    F.Message = "call to " + quoted(Callee) + " acquires " +
                std::string(A.Mode == LockMode::Shared ? "a shared lock of " : "lock ") +
                quoted(Ctx.Locks.displayName(*Lock)) +
                (Innermost.empty() ? "" : " (through " + quoted(Innermost) + ")") +
                ", which this thread already holds" +
                (Held->Mode == LockMode::Shared ? " shared" : "") + "; " + Why;
    // Taken under a condition down there: often a flag that the caller's
    // own state rules out (rocksdb's WriteToWAL locks only when the other
    // write queue is off). Shown, but not at a level that fails a gate.
    if (A.Conditional) {
      F.Level = FindingLevel::Note;
      F.Message += " (the callee takes it only on some of its paths)";
    }
    addHeldNote(F, *Lock, *Held, Site.InlinedVia);
    F.CallChain = std::move(Chain);
    Out.push_back(std::move(F));
    return; // one finding per call
  }
}

} // namespace concur
