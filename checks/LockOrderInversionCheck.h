//===- LockOrderInversionCheck.h --------------------------------*- C++ -*-===//
//
// concur-lock-order-inversion: locks taken in orders that can deadlock. Each
// acquisition made while other locks are held is an edge of the TU's lock
// graph ("b taken while a is held"), the second acquisition directly or
// inside a callee. When the TU is done:
//
//  - an edge against an order declared with ACQUIRED_BEFORE/ACQUIRED_AFTER
//    is reported by itself (the declaration is ground truth), and takes no
//    further part: the edge that follows the declared order pairs with
//    nothing;
//  - a pair of edges `a -> b`, `b -> a` is reported once;
//  - a cycle of three or more locks among the other edges (those whose
//    reverse is not taken anywhere) is reported once per strongly connected
//    component of the graph, the shortest cycle found in it.
//
// A lock held around every edge of a pair or cycle serialises it: silent.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_CHECKS_LOCKORDERINVERSIONCHECK_H
#define CONCUR_CHECKS_LOCKORDERINVERSIONCHECK_H

#include "checks/engine/AcquireSummaries.h"
#include "checks/engine/TranslationUnitAnalysis.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include <map>
#include <set>

namespace concur {

class LockOrderInversionCheck : public TranslationUnitCheck {
public:
  static constexpr const char *Id = "concur-lock-order-inversion";

  /// The wording of the findings, shared with the project-wide link
  /// (driver/facts/LockOrderLink) so that both say the same; names are
  /// display names, quoted here.
  /// "lock 'T' acquired while holding 'H'", or "call to 'f' acquires lock
  /// 'T' while holding 'H'" when Via names the callee that takes it.
  static std::string acquisitionMessage(llvm::StringRef Held,
                                        llvm::StringRef Taken,
                                        llvm::StringRef Via);
  /// What makes an inverted pair a deadlock, after acquisitionMessage.
  static std::string pairReason(llvm::StringRef Held, llvm::StringRef Taken);
  /// What makes a cycle a deadlock; Round names its locks from the one
  /// taken round to it again (N locks, N + 1 names).
  static std::string cycleReason(llvm::ArrayRef<llvm::StringRef> Round);
  /// Prefix + "lock 'L' acquired here".
  static std::string acquiredNote(llvm::StringRef Prefix, llvm::StringRef Lock);
  /// acquiredNote, or Prefix + "'f' acquires lock 'L' here" through Via.
  static std::string secondNote(llvm::StringRef Prefix, llvm::StringRef Lock,
                                llvm::StringRef Via);

  LockOrderInversionCheck(AnalysisContext &Ctx, std::vector<Finding> &Out)
      : Ctx(Ctx), Out(Out), Summaries(Ctx.AST, Ctx.Models) {}
  void visitAcquire(const AcquireSite &Site) override;
  void visitCall(const CallSite &Site) override;
  /// Reports the declared-order violations, inverted pairs and cycles of
  /// the whole translation unit.
  void finish() override;
  void recordFacts(TranslationUnitFacts &Out) override;

private:
  using EdgeKey = std::pair<LockId, LockId>;
  /// The evidence of "Second acquired while First is held": the one with
  /// the fewest other locks held, since those may serialise it.
  struct Edge {
    clang::SourceLocation FirstAt;  ///< where First was taken
    clang::SourceLocation SecondAt; ///< the acquisition, or the call to it
    /// The other locks held at every acquisition of this edge: one common
    /// to all edges of a pair or cycle serialises them.
    llvm::SmallVector<LockId, 2> Outer;
    std::vector<FindingNote> Chain; ///< callee steps down to the acquisition
    std::string Via;                ///< the callee, when through a call
  };
  /// An order declared by ACQUIRED_BEFORE / ACQUIRED_AFTER, by the key of
  /// each lock's declaration ("Class::mu_", or a global's name).
  struct DeclaredOrder {
    llvm::StringMap<llvm::SmallVector<std::string, 2>> Before; ///< a -> {b}
    llvm::StringMap<clang::SourceLocation> Where; ///< "a>b" -> attribute
  };

  /// The edges that follow no declared order (the graph finish() works
  /// on), kept for the project-wide graph.
  std::set<EdgeKey> Undeclared;

  void addEdges(LockId Second, const LockSet &Held, clang::SourceLocation At,
                const std::vector<FindingNote> &Chain, llvm::StringRef Via);

  DeclaredOrder readDeclaredOrder() const;
  /// Where the declaration says Second comes before First (directly or
  /// through other locks), if it does.
  std::optional<clang::SourceLocation>
  declaredBefore(const DeclaredOrder &D, LockId Second, LockId First) const;
  Finding acquisitionFinding(const Edge &Here, LockId Held, LockId Taken,
                             llvm::StringRef Why) const;
  void reportAgainstDeclared(const EdgeKey &K, const Edge &E,
                             clang::SourceLocation DeclaredAt);
  /// Reports the inverted pairs among Live; returns the edges of every pair
  /// taken in both orders (reported or serialised).
  std::set<EdgeKey> reportPairs(const std::set<EdgeKey> &Live);
  void reportCycles(const std::set<EdgeKey> &Live);
  void reportCycle(llvm::ArrayRef<LockId> Cycle);
  bool serialised(llvm::ArrayRef<const Edge *> Path,
                  llvm::ArrayRef<LockId> Locks) const;
  /// "'b' acquired here" / "then 'f' acquires lock 'b' here", and the chain.
  void addSecondNotes(Finding &F, const Edge &E, LockId Second,
                      llvm::StringRef Prefix) const;

  AnalysisContext &Ctx;
  std::vector<Finding> &Out;
  AcquireSummaries Summaries;
  std::map<EdgeKey, Edge> Edges;
};

} // namespace concur

#endif
