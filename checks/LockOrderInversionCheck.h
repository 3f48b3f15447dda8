//===- LockOrderInversionCheck.h --------------------------------*- C++ -*-===//
//
// concur-lock-order-inversion: two locks taken in opposite orders in the
// translation unit (`a` then `b` on one path, `b` then `a` on another), the
// second acquisition directly or inside a callee. Each acquisition made
// while other locks are held is an edge of the TU's lock graph; an edge
// whose reverse exists, with no common outer lock serialising the two, is
// reported once per pair when the TU is done.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_LOCKORDERINVERSIONCHECK_H
#define CONCUR_CHECKS_LOCKORDERINVERSIONCHECK_H

#include "checks/engine/AcquireSummaries.h"
#include "checks/engine/TranslationUnitAnalysis.h"
#include <map>

namespace concur {

class LockOrderInversionCheck : public TranslationUnitCheck {
public:
  static constexpr const char *Id = "concur-lock-order-inversion";

  LockOrderInversionCheck(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : Ctx(Ctx), Out(Out), Summaries(Ctx.AST, Ctx.Models) {}
  void visitAcquire(const AcquireSite &Site) override;
  void visitCall(const CallSite &Site) override;
  /// Reports the inverted pairs of the whole translation unit.
  void finish() override;

private:
  /// The first evidence of "Second acquired while First is held".
  struct Edge {
    clang::SourceLocation FirstAt;  ///< where First was taken
    clang::SourceLocation SecondAt; ///< the acquisition, or the call to it
    /// The other locks held at that point: a common one with the reverse
    /// edge serialises the two orders.
    llvm::SmallVector<LockId, 2> Outer;
    std::vector<FindingNote> Chain; ///< callee steps down to the acquisition
    std::string Via;                ///< the callee, when through a call
  };
  void addEdges(LockId Second, const LockSet &Held, clang::SourceLocation At,
                const std::vector<FindingNote> &Chain, llvm::StringRef Via);

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
  AcquireSummaries Summaries;
  std::map<std::pair<LockId, LockId>, Edge> Edges;
};

} // namespace concur

#endif
