//===- UnitFacts.h - One translation unit's facts, outside its AST -*- C++ -*-===//
//
// What the driver keeps of a translation unit for the project-wide link and
// for re-runs: its own findings, its functions' blocking behaviour and calls
// (by USR), the calls it makes with locks held to functions it has no body
// for, its lock-order edges, its accesses to variables declared in headers,
// all with locations resolved to files; and the key that says whether
// the facts are still those of the sources (the compile command and the
// content hash of every file the TU read).
//
// In memory, paths are absolute. On disk (FactsStore) they are relative to a
// source root, so that facts extracted in checkouts at different paths link
// together. The link (ProjectLink) reads only these plain structures.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_FACTS_UNITFACTS_H
#define CONCUR_DRIVER_FACTS_UNITFACTS_H

#include "checks/engine/facts/TranslationUnitFacts.h"
#include "driver/ResolvedFinding.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace concur {

struct LinkCallee {
  std::string Usr, Name;
  ResolvedLocation Loc;
};

struct LinkFunction {
  std::string Usr, Name;
  bool Internal = false;
  bool BlocksDirectly = false;
  BlockKind Kind = BlockKind::None;
  std::string Operation;
  ResolvedLocation OperationLoc;
  std::optional<unsigned> ReleasesParam;
  std::string ReleasesMemberPath;
  bool ReleasesUnknownLock = false;
  bool UnlocksCallersLock = false;
  std::vector<LinkCallee> Calls;
};

struct LinkHeldLock {
  std::string Display, Path;
  ResolvedLocation Acquired;
  bool Shared = false, Asserted = false;
};

struct LinkCall {
  std::string CallerUsr, CalleeUsr, CalleeName;
  ResolvedLocation Loc; ///< EndColumn covers the callee's whole name
  std::vector<LinkHeldLock> Held;
  std::vector<std::pair<unsigned, std::vector<unsigned>>> ArgumentLocks;
  std::string ReceiverPath;
  std::vector<ResolvedLocation> InlinedVia;
  /// A NOLINT comment on the call's line covers concur-lock-across-blocking-call.
  bool Nolint = false;
};

/// A lock-order edge (LockOrderFact) with its locations resolved.
struct LinkLockOrder {
  std::string First, Second, FirstDisplay, SecondDisplay;
  ResolvedLocation FirstAt, SecondAt;
  std::string Via;
  std::vector<ResolvedNote> Chain;
  std::vector<std::string> Outer;
  /// A NOLINT comment at SecondAt covers concur-lock-order-inversion.
  bool Nolint = false;
};

/// A lock held at a field access (AccessLockFact), resolved.
struct LinkAccessLock {
  std::string Path, Name, Where;
  ResolvedLocation Declared; ///< invalid when the TU saw no declaration
  bool Shared = false;
};

/// An access to a shared variable (FieldAccessFact), resolved.
struct LinkFieldAccess {
  std::string Variable, Name, Kind, Function;
  ResolvedLocation Loc;
  bool IsWrite = false, Note = false, OnOtherThread = false;
  bool SerialisedByCallers = false, GuardedHere = false;
  bool Confined = false; ///< FieldAccessFact::Confined
  /// Its callers are in other files (FieldAccessFact::CallersElsewhere).
  bool CallersElsewhere = false;
  std::vector<LinkAccessLock> Held;
  /// The unlocked callers on the way: where each calls, who, and whom.
  struct Caller {
    ResolvedLocation Loc;
    std::string Caller, Callee;
  };
  std::vector<Caller> UnlockedCallers;
  /// A NOLINT comment at Loc covers concur-unguarded-field.
  bool Nolint = false;
};

/// A call to a private helper defined in another file (HelperCallFact),
/// resolved.
struct LinkHelperCall {
  std::string CalleeUsr, CallerUsr, Caller, Callee;
  ResolvedLocation Loc;
  std::vector<LinkAccessLock> Held;
  bool SomeLock = false, CallerElsewhere = false;
  std::vector<LinkFieldAccess::Caller> UnlockedCallers;
  bool Virtual = false, Dispatched = false; ///< see HelperCallFact
  std::vector<std::string> CallerBases;
  bool CallerInstantiated = false; ///< see HelperCallFact
};

/// A file the TU read and the hash of the content it read.
struct Dependency {
  std::string File; ///< absolute
  uint64_t Hash = 0;
};

struct UnitFacts {
  static constexpr unsigned FormatVersion = 9;

  std::string MainFile; ///< absolute
  std::string Key;      ///< the compile command and concur's configuration
  std::vector<Dependency> Dependencies;
  /// The TU did not parse cleanly: its facts serve the link but are
  /// extracted again next time.
  bool Failed = false;
  std::string FailureReason;
  std::vector<ResolvedFinding> Findings;
  std::vector<LinkFunction> Functions;
  std::vector<LinkCall> Calls;
  std::vector<LinkLockOrder> LockOrder;
  std::vector<LinkFieldAccess> FieldAccesses;
  std::vector<LinkHelperCall> HelperCalls;
  /// Findings in overrides whose callers are elsewhere, for the link to
  /// confirm (ResolvedFinding::CalledAs): not among Findings.
  std::vector<ResolvedFinding> ConditionalFindings;
  std::vector<ModelFact> Models; ///< no locations: kept as the engine gave them
  /// The lock-like types whose project models these facts depend on
  /// (TranslationUnitFacts::ModelDependencies), and the hash of those models
  /// when the TU was extracted (ProjectModels::hashFor): facts extracted
  /// before a model they need existed are stale.
  std::vector<std::string> ModelDependencies;
  uint64_t ModelsHash = 0;
  bool DefinesLockBodies = false;
};

/// Resolves the engine's facts of a TU (while its SourceManager lives).
/// Nolint says whether a NOLINT comment covers a check at a location.
void resolveFacts(const TranslationUnitFacts &In, const clang::SourceManager &SM,
                  const clang::LangOptions &LO, llvm::StringRef WorkingDir,
                  llvm::function_ref<bool(clang::SourceLocation, llvm::StringRef)> Nolint,
                  UnitFacts &Out);

/// The files a TU read (its main file and every header), with the hash of
/// the content it parsed.
std::vector<Dependency> readDependencies(const clang::SourceManager &SM,
                                         llvm::StringRef WorkingDir);

/// The hash a dependency records for a file's content.
uint64_t contentHash(llvm::StringRef Content);

} // namespace concur

#endif
