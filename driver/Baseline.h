//===- Baseline.h - Which findings a change introduces ----------*- C++ -*-===//
//
// --baseline=<previous.sarif>: each finding is "new" or "unchanged" by its
// concur fingerprint (Fingerprint.h), and the baseline's findings that are
// gone come back as "absent" results, as SARIF's baselineState says.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_BASELINE_H
#define CONCUR_DRIVER_BASELINE_H

#include "driver/JsonInput.h"
#include "driver/ResolvedFinding.h"
#include "llvm/Support/Error.h"
#include <nlohmann/json.hpp>
#include <vector>

namespace concur {

/// The SARIF partialFingerprints key of concur's fingerprint.
inline constexpr const char *FingerprintKey = "concurFingerprint/v1";

/// Sets BaselineState on every finding and returns the baseline's results
/// that no finding matched, marked "absent".
llvm::Expected<std::vector<nlohmann::ordered_json>>
compareWithBaseline(llvm::StringRef BaselinePath,
                    std::vector<ResolvedFinding> &Findings);

/// The same with a baseline already read (readSarif, parseSarif).
std::vector<nlohmann::ordered_json>
compareWithBaseline(const JsonInput &Baseline,
                    std::vector<ResolvedFinding> &Findings);

/// Reads a SARIF file and checks the type of every value concur reads from
/// it; errors name the file and the line.
llvm::Expected<JsonInput> readSarif(llvm::StringRef Path);
/// The same for a text in memory, named Name in errors.
llvm::Expected<JsonInput> parseSarif(llvm::StringRef Name, llvm::StringRef Text);

} // namespace concur

#endif
