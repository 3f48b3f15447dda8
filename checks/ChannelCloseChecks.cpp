//===- ChannelCloseChecks.cpp ---------------------------------------------===//

#include "checks/ChannelCloseChecks.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace concur {

static std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

const ChannelFact *ChannelCheckBase::closedChannel(const CallSite &Site,
                                                   LockId &Channel) const {
  const auto *Call = dyn_cast<CallExpr>(Site.E);
  const Expr *Receiver = Call ? splitCall(Call).Receiver : nullptr;
  if (!Receiver || Site.Closed.isEmpty())
    return nullptr;
  std::optional<LockId> Id = Ctx.Locks.lockOf(Receiver);
  if (!Id)
    return nullptr;
  Channel = *Id;
  return Site.Closed.lookup(*Id);
}

void ChannelCheckBase::explainClose(Finding &F, LockId Channel,
                                    const ChannelFact &Fact) {
  std::string Name = quoted(Ctx.Locks.displayName(Channel));
  if (!Fact.ClosedVia) {
    F.Notes.push_back({Fact.ClosedAt, Name + " closed here"});
    return;
  }
  const auto *Call = cast<CallExpr>(Fact.ClosedVia);
  const FunctionDecl *Fn = Call->getDirectCallee();
  F.Notes.push_back({Fact.ClosedAt, Name + " closed by this call to " +
                                        quoted(ModelMatcher::matchName(Fn))});
  CloseSummary S = Ctx.Closes.summaryOf(Fn);
  for (unsigned Depth = 0; S.Closes && Depth < 16; ++Depth) {
    std::string Step = quoted(ModelMatcher::matchName(Fn)) + " calls " +
                       quoted(ModelMatcher::calleeName(S.Site, S.Callee));
    F.CallChain.push_back({S.Site->getExprLoc(),
                           S.Direct ? Step + ", which closes it" : Step});
    if (S.Direct)
      break;
    Fn = S.Callee;
    S = Ctx.Closes.summaryOf(Fn);
  }
}

static const char *paths(const ChannelFact &Fact) {
  return Fact.AllPaths ? "on every path" : "on some paths";
}

void SendOnClosedChannelCheck::visitCall(const CallSite &Site) {
  if (!Site.Model || Site.Model.Fx->ChannelOp != "send")
    return;
  LockId Channel;
  const ChannelFact *Fact = closedChannel(Site, Channel);
  if (!Fact)
    return;
  Finding F;
  F.CheckId = Id;
  F.Loc = Site.E->getExprLoc();
  F.Message = "send on channel " + quoted(Ctx.Locks.displayName(Channel)) +
              " after it was closed " + paths(*Fact) + " to here";
  explainClose(F, Channel, *Fact);
  Out.push_back(std::move(F));
}

void ChannelDoubleCloseCheck::visitCall(const CallSite &Site) {
  const auto *Call = dyn_cast<CallExpr>(Site.E);
  if (!Call || Site.Closed.isEmpty())
    return;
  // A close() of a closed channel, or a call that closes it again.
  bool Direct = true;
  std::optional<LockId> Channel = Ctx.LockFlow.channelClosedBy(Call, Direct);
  const ChannelFact *Fact = Channel ? Site.Closed.lookup(*Channel) : nullptr;
  // The same close met again through a loop's back edge: whether the loop
  // can run it twice depends on conditions concur does not correlate
  // (`if (i == 3) ch.close();`), so it is not reported.
  if (!Fact || Fact->ClosedAt == Call->getExprLoc())
    return;
  Finding F;
  F.CheckId = Id;
  F.Loc = Call->getExprLoc();
  F.Message = "channel " + quoted(Ctx.Locks.displayName(*Channel)) +
              (Direct ? " is closed again" : " is closed again by this call") +
              "; it was already closed " + paths(*Fact) + " to here";
  explainClose(F, *Channel, *Fact);
  Out.push_back(std::move(F));
}

bool ChannelCheckBase::needsEntry(const FunctionDecl *FD) {
  return mayCloseChannels(FD, Ctx);
}

bool mayCloseChannels(const FunctionDecl *FD, AnalysisContext &Ctx) {
  if (!FD->hasBody())
    return false;
  bool Direct;
  for (const CallExpr *C : directCalls(FD->getBody()))
    if (Ctx.LockFlow.channelClosedBy(C, Direct))
      return true;
  return false;
}

} // namespace concur
