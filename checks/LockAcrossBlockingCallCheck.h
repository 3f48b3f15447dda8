//===- LockAcrossBlockingCallCheck.h ----------------------------*- C++ -*-===//
//
// concur-lock-across-blocking-call: a call that may block while a lock is
// held. The lock-set dataflow says which locks are held at each call; the
// API models and the blocking summaries say whether the call blocks.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_LOCKACROSSBLOCKINGCALLCHECK_H
#define CONCUR_CHECKS_LOCKACROSSBLOCKINGCALLCHECK_H

#include "checks/engine/TranslationUnitAnalysis.h"

namespace concur {

class LockAcrossBlockingCallCheck : public TranslationUnitCheck {
public:
  static constexpr const char *Id = "concur-lock-across-blocking-call";

  LockAcrossBlockingCallCheck(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : Ctx(Ctx), Out(Out) {}
  void visitCall(const CallSite &Site) override;

  /// How a finding words a blocking kind ("blocks until its timeout"); the
  /// project-wide link words its findings the same way.
  static const char *verb(BlockKind K);

private:
  /// The blocking operation a call reaches: itself, or through callees.
  struct Blocking {
    BlockKind Kind = BlockKind::None;
    std::string OperationName; ///< the modelled API reached through calls
    std::vector<FindingNote> Chain;                 ///< callee steps
    bool ReleasesUnknownLock = false;
  };
  bool blocks(const CallSite &Site, Blocking &B,
              llvm::SmallVectorImpl<LockId> &Released);
  void releasedMember(const clang::CallExpr *Call, llvm::StringRef Path,
                      const CallSite &Site,
                      llvm::SmallVectorImpl<LockId> &Released);

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
};

} // namespace concur

#endif
