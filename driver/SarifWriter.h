//===- SarifWriter.h - SARIF 2.1.0 output -----------------------*- C++ -*-===//
#ifndef CONCUR_DRIVER_SARIFWRITER_H
#define CONCUR_DRIVER_SARIFWRITER_H

#include "driver/ResolvedFinding.h"
#include "llvm/Support/raw_ostream.h"
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace concur {

struct FailedFile {
  std::string File;
  std::string Reason;
};

struct SarifOptions {
  std::string SourceRoot; ///< absolute; files below it get %SRCROOT% URIs
  std::vector<std::string> CommandLine;
  /// runAutomationDetails category: several analyses of one commit (one
  /// per configuration or platform) are told apart by it.
  std::string Category;
  /// With --baseline: the baseline's results that are gone.
  const std::vector<nlohmann::ordered_json> *Absent = nullptr;
};

/// A SARIF log, as text, of one run with concur's rules and the given
/// results (invalid UTF-8 in them replaced).
std::string renderSarif(const std::vector<ResolvedFinding> &Findings,
                        const std::vector<FailedFile> &Failures,
                        const SarifOptions &Opts);

/// The index of a check in SARIF's rules array (concur's checks, in order).
std::optional<size_t> ruleIndexOf(llvm::StringRef CheckId);

} // namespace concur

#endif
