//===- TranslationUnitAnalysis.h - Run the checks on one TU -----*- C++ -*-===//
//
// The engine's entry point: given a translation unit's analysis context and
// the checks to run (built above the engine, by checks/CheckFactories.h),
// walk every entry point once, show it to every check, and return the
// findings, sorted and de-duplicated. The engine knows no check by name.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_TRANSLATIONUNITANALYSIS_H
#define CONCUR_ENGINE_TRANSLATIONUNITANALYSIS_H

#include "checks/engine/ApiModels.h"
#include "checks/engine/BlockingSummaries.h"
#include "checks/CheckRegistry.h"
#include "checks/engine/CloseSummaries.h"
#include "checks/engine/DoneSummaries.h"
#include "checks/engine/Finding.h"
#include "checks/engine/LockDataflow.h"
#include "checks/engine/LockIdentity.h"
#include "checks/engine/facts/TranslationUnitFacts.h"
#include <atomic>
#include <vector>

namespace concur {

/// Per-translation-unit state that the checks share.
struct AnalysisContext {
  AnalysisContext(clang::ASTContext &AST, const ApiModels &Models);

  clang::ASTContext &AST;
  ModelMatcher Models;
  LockTable Locks;
  CFGCache CFGs;
  LockSetAnalysis LockFlow;
  BlockingSummaries Blocking;
  CloseSummaries Closes;
  DoneSummaries Dones;
};

/// What concur decided guards a field (for --dump-guards).
struct GuardDecision {
  clang::SourceLocation FieldLoc;
  std::string Field;      ///< "Registry::count_"
  /// The guard set, each lock with where it lives ("'mu_' (member)"), or
  /// "" when there is not enough evidence.
  std::string Guard;
  bool Annotated = false; ///< from GUARDED_BY rather than inferred
  std::string Evidence;   ///< why that set, or why none
  unsigned Accesses = 0;
};

/// A type concur recognised in a translation unit, or a lock-like type it
/// could not model (for --dump-models).
struct ModelReport {
  clang::SourceLocation Loc;
  std::string Type;   ///< "leveldb::port::Mutex"
  std::string Kind;   ///< "mutex"; empty when not modelled
  std::string How;    ///< "built-in rule rules/std.json:6", "inferred from its body", ...
  std::string Detail; ///< the operations, or why there is no model
};

/// A lock acquisition concur recognised in the user's code (for --stats):
/// a call or a guard construction, and where its model came from.
struct AcquisitionSite {
  clang::SourceLocation Loc;
  const char *How; ///< "rule", "attributes", "body"
};

struct EngineOptions {
  /// Take GUARDED_BY / REQUIRES as ground truth (default). Off, concur
  /// infers every guard, which shows how inference compares.
  bool UseThreadSafetyAnnotations = true;
  /// When set, receives the guard decided for every field with accesses.
  std::vector<GuardDecision> *Guards = nullptr;
  /// When set, receives every modelled type of the TU and the lock-like
  /// types without a model.
  std::vector<ModelReport> *Models = nullptr;
  /// When set, receives every lock acquisition of the user's code.
  std::vector<AcquisitionSite> *Acquisitions = nullptr;
  /// When set, checked between functions: once true, the analysis stops
  /// and returns no findings (an editor's newer text made it stale).
  const std::atomic<bool> *Cancelled = nullptr;
  /// When set, receives the facts a project-wide link needs (see
  /// facts/TranslationUnitFacts.h).
  TranslationUnitFacts *Facts = nullptr;
};

/// What the engine asks of a check beyond observing the dataflow.
class TranslationUnitCheck : public LockSetObserver {
public:
  /// Whether FD must be analysed although it takes no lock: a check about
  /// channels, threads or condition waits looks at lock-free code too.
  /// (Not const: a check may cache what it learnt about FD's callees.)
  virtual bool needsEntry(const clang::FunctionDecl *FD) { return false; }
  /// Once the analysed entries were all seen: the ones skipped, which the
  /// check may still analyse on its own terms (it saw what the others lock).
  virtual void
  analyzeRemaining(llvm::ArrayRef<const clang::FunctionDecl *> Skipped) {}
  /// After every entry: report what needs the whole translation unit.
  virtual void finish() {}
  /// After finish, when the run keeps facts for a project-wide link: add
  /// what the link needs of this check's view of the TU.
  virtual void recordFacts(TranslationUnitFacts &Out) {}
};

/// Runs Checks over every entry point of Ctx's translation unit; the
/// checks append to Findings, which comes back sorted and de-duplicated.
std::vector<Finding>
runTranslationUnitChecks(AnalysisContext &Ctx,
                         llvm::ArrayRef<TranslationUnitCheck *> Checks,
                         std::vector<Finding> &Findings,
                         const EngineOptions &Options = {});

} // namespace concur

#endif
