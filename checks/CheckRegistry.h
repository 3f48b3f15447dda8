//===- CheckRegistry.h - The checks concur offers ---------------*- C++ -*-===//
#ifndef CONCUR_CHECKS_CHECKREGISTRY_H
#define CONCUR_CHECKS_CHECKREGISTRY_H

#include "checks/engine/Finding.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace concur {

struct CheckInfo {
  const char *Id;               ///< "concur-lock-across-blocking-call"
  const char *ShortDescription; ///< one sentence
  const char *FullDescription;
  const char *DocPage;          ///< relative to docs/: "checks/lock-across-blocking-call.md"
  const char *DefaultLevel;     ///< SARIF level: "warning" or "error"
};

/// Every check, in a stable order (SARIF ruleIndex follows it).
llvm::ArrayRef<CheckInfo> allChecks();
const CheckInfo *findCheck(llvm::StringRef Id);
/// A finding's SARIF level: its own (FindingLevel), else its check's default.
const char *findingLevel(const Finding &F);
/// Orders SARIF levels by how much they matter: note < warning < error.
int levelRank(llvm::StringRef Level);

/// The URL of a check's documentation page.
std::string checkHelpUri(const CheckInfo &C);

/// clang-tidy's --checks syntax: comma-separated globs, '-' negates, the
/// last matching glob decides.
class CheckFilter {
public:
  explicit CheckFilter(llvm::StringRef Globs = "concur-*");
  bool enabled(llvm::StringRef CheckId) const;
  /// The globs that would enable checks but match none (a typo) or are
  /// not valid globs.
  std::vector<std::string> unmatchedPatterns() const;

private:
  struct Glob {
    bool Positive;
    std::string Pattern;
  };
  std::vector<Glob> Globs;
};

} // namespace concur

#endif
