//===- FileAnalysis.h - Parse one file and run the engine on it -*- C++ -*-===//
#ifndef CONCUR_DRIVER_FILEANALYSIS_H
#define CONCUR_DRIVER_FILEANALYSIS_H

#include "checks/engine/ApiModels.h"
#include "checks/CheckRegistry.h"
#include "driver/ResolvedFinding.h"
#include "driver/facts/UnitFacts.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace concur {

struct AnalysisOptions {
  std::shared_ptr<const ApiModels> Models;
  CheckFilter Checks;
  std::vector<std::string> ExtraArgs; ///< appended to every compile command
  bool ColorDiagnostics = false;      ///< for the compiler's own errors
  bool UseThreadSafetyAnnotations = true;
  bool CollectGuards = false;         ///< fill FileResult::Guards
  bool CollectModels = false;         ///< fill FileResult::Models
  bool CollectStats = false;          ///< fill FileResult::Acquisitions
  bool CollectFacts = false;          ///< fill FileResult::Facts
  /// When set and true, the engine stops early and reports nothing (the LSP
  /// server abandons an analysis a newer edit has made stale).
  const std::atomic<bool> *Cancelled = nullptr;
};

/// A guard decision of concur-unguarded-field, outside its TU.
struct ResolvedGuard {
  ResolvedLocation Field;
  std::string Name, Guard;
  bool Annotated = false;
  std::string Evidence;
  unsigned Accesses = 0;
  auto key() const { return std::tie(Field.File, Field.Line, Field.Column, Name); }
  auto order() const { return key(); }
};

/// A model concur recognised (or a lock-like type it could not model).
struct ResolvedModel {
  ResolvedLocation Loc;
  std::string Type, Kind, How, Detail;
  auto key() const { return std::tie(Type, Kind, How, Detail); }
  auto order() const { return key(); }
};

struct FileResult {
  std::string File;
  bool Failed = false;       ///< the file did not parse cleanly
  /// When it was not even parsed: why ("its directory ... does not exist").
  std::string FailureReason;
  std::string Diagnostics;   ///< the compiler's errors, ready to print
  std::vector<ResolvedFinding> Findings; ///< NOLINT ones marked suppressed
  double EngineMs = 0; ///< the checks' share of the time (the rest is parsing)
  std::vector<ResolvedGuard> Guards;
  std::vector<ResolvedModel> Models;
  /// Lock acquisitions recognised: "file:line:col" and how ("rule", ...).
  std::vector<std::pair<std::string, std::string>> Acquisitions;
  /// The TU's facts for the project-wide link (without its findings, which
  /// are above, and without its key, which is the caller's).
  std::shared_ptr<UnitFacts> Facts;
};

/// Parses File with its command from DB and runs the enabled checks. Safe
/// to call from several threads at once (each call has its own file system
/// and compiler instance).
FileResult analyzeFile(const clang::tooling::CompilationDatabase &DB,
                       const std::string &File, const AnalysisOptions &Opts);

/// The front-end action behind analyzeFile, for callers that set up their
/// own compiler instance (the LSP server, with a precompiled preamble and
/// unsaved buffers). Fills Result's findings, guards, models and stats.
std::unique_ptr<clang::FrontendAction>
createFindingsAction(const AnalysisOptions &Opts, FileResult &Result);

/// What concur changes in every compile command: the builtin headers of the
/// clang it was built against (unless the command names its own), no
/// compiler warnings, then Extra.
clang::tooling::ArgumentsAdjuster
concurArgumentsAdjuster(const std::vector<std::string> &Extra);

} // namespace concur

#endif
