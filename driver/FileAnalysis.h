//===- FileAnalysis.h - Parse one file and run the engine on it -*- C++ -*-===//
#ifndef CONCUR_DRIVER_FILEANALYSIS_H
#define CONCUR_DRIVER_FILEANALYSIS_H

#include "checks/engine/ApiModels.h"
#include "checks/engine/CheckRegistry.h"
#include "driver/ResolvedFinding.h"
#include "clang/Tooling/CompilationDatabase.h"
#include <memory>
#include <string>
#include <vector>

namespace concur {

struct AnalysisOptions {
  std::shared_ptr<const ApiModels> Models;
  CheckFilter Checks;
  std::vector<std::string> ExtraArgs; ///< appended to every compile command
  bool ColorDiagnostics = false;      ///< for the compiler's own errors
};

struct FileResult {
  std::string File;
  bool Failed = false;       ///< the file did not parse cleanly
  std::string Diagnostics;   ///< the compiler's errors, ready to print
  std::vector<ResolvedFinding> Findings; ///< after NOLINT
};

/// Parses File with its command from DB and runs the enabled checks. Safe
/// to call from several threads at once (each call has its own file system
/// and compiler instance).
FileResult analyzeFile(const clang::tooling::CompilationDatabase &DB,
                       const std::string &File, const AnalysisOptions &Opts);

} // namespace concur

#endif
