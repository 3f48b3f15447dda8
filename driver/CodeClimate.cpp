//===- CodeClimate.cpp ----------------------------------------------------===//

#include "driver/CodeClimate.h"
#include "driver/Fingerprint.h"
#include "driver/OutputFile.h"
#include <nlohmann/json.hpp>

namespace concur {

/// GitLab's severities are info, minor, major, critical and blocker.
static const char *severityOf(llvm::StringRef Level) {
  if (Level == "error")
    return "critical";
  if (Level == "note")
    return "minor";
  return "major";
}

std::string renderCodeClimate(const std::vector<ResolvedFinding> &Findings,
                              llvm::StringRef SourceRoot) {
  nlohmann::ordered_json Issues = nlohmann::ordered_json::array();
  for (const ResolvedFinding &F : Findings) {
    if (F.Suppression)
      continue;
    nlohmann::ordered_json Issue;
    Issue["type"] = "issue";
    Issue["check_name"] = F.CheckId;
    Issue["description"] = F.Message;
    Issue["categories"] = {"Bug Risk"};
    Issue["severity"] = severityOf(F.Level);
    // concur's fingerprint is unique within a run and stable across edits
    // elsewhere in the file; the check makes it unique across tools.
    Issue["fingerprint"] = F.CheckId + ":" + F.Fingerprint;
    Issue["location"] = {
        {"path", relativeToRoot(F.Loc.File, SourceRoot)},
        {"lines", {{"begin", F.Loc.Line}}},
    };
    Issues.push_back(std::move(Issue));
  }
  return dumpJson(Issues) + "\n";
}

} // namespace concur
