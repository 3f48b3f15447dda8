//===- LockAcrossBlockingCallCheck.cpp ------------------------------------===//

#include "checks/LockAcrossBlockingCallCheck.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concur {

static std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

const char *LockAcrossBlockingCallCheck::verb(BlockKind K) {
  switch (K) {
  case BlockKind::Always:
    return "blocks";
  case BlockKind::Timed:
    return "blocks until its timeout";
  default:
    return "may block";
  }
}

bool LockAcrossBlockingCallCheck::blocks(const CallSite &Site, Blocking &B,
                                         llvm::SmallVectorImpl<LockId> &Released) {
  const auto *Call = dyn_cast<CallExpr>(Site.E);
  if (Site.Model) {
    if (Site.CannotBlock)
      return false; // a non-blocking descriptor, MSG_DONTWAIT
    bool Blocks = Call ? BlockingSummaries::callBlocks(Site.Model, Call, Ctx.AST)
                       : BlockingSummaries::constructBlocks(Site.Model);
    if (!Blocks)
      return false;
    B.Kind = Site.Model.Fx->Block;
    // A condition variable whose lock concur could not find (bound in a
    // constructor defined in another file) still releases one of the
    // caller's locks: as for a helper that does, only a second lock counts.
    B.ReleasesUnknownLock = Site.ReleasesUnknownLock;
    return true;
  }
  if (!Call || !Site.Callee)
    return false;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Site.Callee);
      MD && MD->getParent()->isLambda())
    return false; // replayed in place by the dataflow
  BlockSummary S = Ctx.Blocking.summaryOf(Site.Callee);
  if (!S.Blocks)
    return false;

  // The helper waits on a condition variable with the lock we pass it, or
  // with our own member lock: that lock is released while it blocks.
  if (S.ReleasesParam) {
    CallParts Parts = splitCall(Call);
    if (*S.ReleasesParam < Parts.Args.size())
      for (LockId L : Ctx.LockFlow.locksOfArgument(Parts.Args[*S.ReleasesParam]))
        Released.push_back(L);
  }
  if (!S.ReleasesMemberPath.empty())
    releasedMember(Call, S.ReleasesMemberPath, Site, Released);

  B.ReleasesUnknownLock = S.ReleasesUnknownLock;
  B.Kind = S.Kind;
  const FunctionDecl *Fn = Site.Callee;
  for (unsigned Depth = 0; S.Blocks && Depth < 16; ++Depth) {
    std::string CalleeName = ModelMatcher::calleeName(S.Site, S.Callee);
    std::string Step = quoted(ModelMatcher::matchName(Fn)) + " calls " +
                       quoted(CalleeName);
    if (S.Direct) {
      B.Chain.push_back({S.Site->getExprLoc(), Step + ", which " + verb(S.Kind)});
      B.OperationName = CalleeName;
      break;
    }
    B.Chain.push_back({S.Site->getExprLoc(), Step});
    Fn = S.Callee;
    S = Ctx.Blocking.summaryOf(Fn);
  }
  return true;
}

/// The lock a callee's wait releases, named in the callee's terms (a member
/// "*this.Queue::mu_", or a global), as the caller holds it: the member of
/// the object the callee is called on.
void LockAcrossBlockingCallCheck::releasedMember(
    const CallExpr *Call, llvm::StringRef Path, const CallSite &Site,
    llvm::SmallVectorImpl<LockId> &Released) {
  std::string Caller = Path.str();
  if (Path.starts_with("*this")) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
    std::optional<LockId> L =
        MC ? Ctx.LockFlow.memberAtReceiver(Path, MC->getImplicitObjectArgument(),
                                           Path.rsplit("::").second)
           : std::nullopt;
    if (!L)
      return;
    Caller = Ctx.Locks.path(*L).str();
  }
  for (auto &KV : Site.Held)
    if (Ctx.Locks.path(KV.first) == Caller)
      Released.push_back(KV.first);
}

void LockAcrossBlockingCallCheck::visitCall(const CallSite &Site) {
  if (Site.Held.isEmpty())
    return;
  Blocking B;
  llvm::SmallVector<LockId, 2> Released(Site.ReleasedWhileBlocked);
  if (!blocks(Site, B, Released))
    return;

  // The locks that stay held across the call, oldest first.
  const SourceManager &SM = Ctx.AST.getSourceManager();
  std::vector<std::pair<LockId, LockFact>> Held;
  // A lock taken only when the object is shared (zeromq's optional _sync)
  // may not be held at all: the report is for locks held on every path.
  for (auto &KV : Site.Held)
    if (KV.second.held() && !llvm::is_contained(Released, KV.first) &&
        !Ctx.Locks.isConditional(KV.first))
      Held.push_back({KV.first, KV.second});
  // The callee waits releasing a lock we cannot name: it may be any one of
  // ours, so only a second lock is certainly held across the wait.
  if (Held.empty() || (B.ReleasesUnknownLock && Held.size() < 2))
    return;
  std::stable_sort(Held.begin(), Held.end(), [&](auto &A, auto &B) {
    return SM.isBeforeInTranslationUnit(A.second.Acquired, B.second.Acquired);
  });

  std::string Locks;
  for (size_t I = 0; I < Held.size(); ++I) {
    if (I)
      Locks += I + 1 == Held.size() ? " and " : ", ";
    Locks += quoted(Ctx.Locks.displayName(Held[I].first));
  }
  Locks = (Held.size() == 1 ? "lock " : "locks ") + Locks;

  Finding F;
  F.CheckId = Id;
  F.Loc = Site.E->getExprLoc();
  F.EndLoc = ModelMatcher::calleeNameEnd(Site.E);
  std::string Callee = ModelMatcher::calleeName(Site.E, Site.Callee);
  F.Message = "call to " + quoted(Callee) + " " + verb(B.Kind) +
              " while holding " + Locks;
  if (!B.Chain.empty() && !B.OperationName.empty())
    F.Message += " (it calls " + quoted(B.OperationName) + ")";
  if (B.ReleasesUnknownLock)
    F.Message += "; the callee may release one of them while it blocks";
  if (B.Chain.empty() && !Released.empty()) {
    std::string Names;
    for (LockId L : Released)
      Names += (Names.empty() ? "" : ", ") + quoted(Ctx.Locks.displayName(L));
    F.Message += "; the wait releases only " + Names;
  }

  for (auto &[Lock, Fact] : Held)
    F.Notes.push_back({Fact.Acquired,
                       std::string(Fact.Mode == LockMode::Shared ? "shared " : "") +
                           "lock " + quoted(Ctx.Locks.displayName(Lock)) +
                           (Fact.Asserted ? " asserted held here"
                                          : " acquired here")});
  // The code flow starts where the (first) lock was taken.
  F.FlowStartNote = 0;
  for (const Expr *Via : Site.InlinedVia)
    F.Notes.push_back({Via->getExprLoc(),
                       "the lambda runs here, with the caller's locks held"});
  F.CallChain = std::move(B.Chain);
  Out.push_back(std::move(F));
}

} // namespace concur
