//===- LockOrderInversionCheck.cpp ----------------------------------------===//

#include "checks/LockOrderInversionCheck.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace concur {

static std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

void LockOrderInversionCheck::addEdges(LockId Second, const LockSet &Held,
                                       SourceLocation At,
                                       const std::vector<FindingNote> &Chain,
                                       llvm::StringRef Via) {
  for (auto &KV : Held) {
    if (KV.first == Second || !KV.second.held())
      continue;
    auto [It, New] = Edges.try_emplace({KV.first, Second});
    if (!New)
      continue; // the first evidence is enough
    Edge &E = It->second;
    E.FirstAt = KV.second.Acquired;
    E.SecondAt = At;
    E.Chain = Chain;
    E.Via = Via.str();
    for (auto &Other : Held)
      if (Other.first != KV.first && Other.second.held())
        E.Outer.push_back(Other.first);
  }
}

void LockOrderInversionCheck::visitAcquire(const AcquireSite &Site) {
  if (Site.Try || Site.Held.isEmpty())
    return; // a try-lock backs off instead of waiting: no deadlock
  addEdges(Site.Lock, Site.Held, Site.Loc, {}, "");
}

void LockOrderInversionCheck::visitCall(const CallSite &Site) {
  const auto *Call = dyn_cast<CallExpr>(Site.E);
  if (Site.Held.isEmpty() || Site.Model || !Call || !Site.Callee)
    return;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Site.Callee);
      MD && MD->getParent()->isLambda())
    return;
  if (Site.Callee->hasAttr<AcquireCapabilityAttr>())
    return; // seen by visitAcquire
  const AcquireSummary &S = Summaries.summaryOf(Site.Callee);
  for (unsigned I = 0; I < S.Acquires.size(); ++I) {
    std::optional<LockId> Lock = AcquireSummaries::atCall(
        S.Acquires[I].Lock, Call, Ctx.LockFlow, Ctx.Locks);
    if (!Lock)
      continue;
    addEdges(*Lock, Site.Held, Site.E->getExprLoc(),
             Summaries.chainTo(Site.Callee, I),
             ModelMatcher::calleeName(Site.E, Site.Callee));
  }
}

void LockOrderInversionCheck::finish() {
  const SourceManager &SM = Ctx.AST.getSourceManager();
  for (auto &[Key, E] : Edges) {
    LockId A = Key.first, B = Key.second;
    if (A > B)
      continue; // each pair once, from its smaller id
    auto Rev = Edges.find({B, A});
    if (Rev == Edges.end())
      continue;
    const Edge &R = Rev->second;
    // A lock held around both orders lets only one of them run at a time.
    if (llvm::any_of(E.Outer, [&](LockId L) {
          return L != B && llvm::is_contained(R.Outer, L);
        }))
      continue;
    // Report at the later of the two second acquisitions, citing the other.
    bool ForwardLater = SM.isBeforeInTranslationUnit(R.SecondAt, E.SecondAt);
    const Edge &Here = ForwardLater ? E : R;
    const Edge &There = ForwardLater ? R : E;
    LockId HeldHere = ForwardLater ? A : B, TakenHere = ForwardLater ? B : A;
    std::string Held = quoted(Ctx.Locks.displayName(HeldHere));
    std::string Taken = quoted(Ctx.Locks.displayName(TakenHere));
    Finding F;
    F.CheckId = Id;
    F.Loc = Here.SecondAt;
    F.Message = (Here.Via.empty() ? "lock " + Taken + " acquired"
                                  : "call to " + quoted(Here.Via) +
                                        " acquires lock " + Taken) +
                " while holding " + Held + ", but elsewhere " + Held +
                " is acquired while holding " + Taken +
                "; two threads taking them in these orders deadlock";
    F.Notes.push_back({Here.FirstAt, "lock " + Held + " acquired here"});
    F.FlowStartNote = 0;
    for (const FindingNote &N : Here.Chain)
      F.Notes.push_back(N);
    F.Notes.push_back({There.FirstAt, "the other order: lock " + Taken +
                                          " acquired here"});
    F.Notes.push_back({There.SecondAt,
                       There.Via.empty()
                           ? "then lock " + Held + " acquired here"
                           : "then " + quoted(There.Via) + " acquires lock " +
                                 Held + " here"});
    for (const FindingNote &N : There.Chain)
      F.Notes.push_back(N);
    Out.push_back(std::move(F));
  }
}

} // namespace concur
