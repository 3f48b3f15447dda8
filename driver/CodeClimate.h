//===- CodeClimate.h - GitLab's Code Quality report -------------*- C++ -*-===//
//
// GitLab shows no SARIF in merge requests; it shows a Code Quality report, a
// JSON array of CodeClimate issues (description, check_name, fingerprint,
// severity, location.path and location.lines.begin). GitLab compares the
// report of a merge request with its target branch's itself, so the report
// lists every finding that is not suppressed, not only the new ones.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_CODECLIMATE_H
#define CONCUR_DRIVER_CODECLIMATE_H

#include "driver/ResolvedFinding.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace concur {

/// The report for Findings (fingerprinted), paths relative to SourceRoot.
std::string renderCodeClimate(const std::vector<ResolvedFinding> &Findings,
                              llvm::StringRef SourceRoot);

} // namespace concur

#endif
