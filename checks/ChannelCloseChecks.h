//===- ChannelCloseChecks.h -------------------------------------*- C++ -*-===//
//
// concur-send-on-closed-channel and concur-channel-double-close: typestate
// over the CFG for each channel object. The dataflow keeps which channels
// may be closed at each point; these two observers look at the sends and
// the closes.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_CHANNELCLOSECHECKS_H
#define CONCUR_CHECKS_CHANNELCLOSECHECKS_H

#include "checks/engine/TranslationUnitAnalysis.h"

namespace concur {

/// What both checks share: finding the channel a call acts on, and
/// explaining where it was closed.
class ChannelCheckBase : public TranslationUnitCheck {
public:
  /// A function that closes no channel (nor calls one that does) cannot
  /// send on a closed one or close one twice.
  bool needsEntry(const clang::FunctionDecl *FD) override;

protected:
  ChannelCheckBase(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : Ctx(Ctx), Out(Out) {}
  /// The channel a modelled operation acts on, and the fact about it.
  const ChannelFact *closedChannel(const CallSite &Site, LockId &Channel) const;
  /// Notes for the close: its site, and the calls down to close().
  void explainClose(Finding &F, LockId Channel, const ChannelFact &Fact);

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
};

class SendOnClosedChannelCheck : public ChannelCheckBase {
public:
  static constexpr const char *Id = "concur-send-on-closed-channel";
  SendOnClosedChannelCheck(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : ChannelCheckBase(Ctx, Out) {}
  void visitCall(const CallSite &Site) override;
};

class ChannelDoubleCloseCheck : public ChannelCheckBase {
public:
  static constexpr const char *Id = "concur-channel-double-close";
  ChannelDoubleCloseCheck(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : ChannelCheckBase(Ctx, Out) {}
  void visitCall(const CallSite &Site) override;
};

/// Whether a function closes a channel, directly or through a call: the
/// functions the channel checks need to analyse.
bool mayCloseChannels(const clang::FunctionDecl *FD, AnalysisContext &Ctx);

} // namespace concur

#endif
