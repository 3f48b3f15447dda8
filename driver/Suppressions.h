//===- Suppressions.h - Findings a reviewer accepted ------------*- C++ -*-===//
//
// A suppressions file accepts findings in code that cannot be edited (no
// NOLINT possible): by check, by path and by fingerprint, each with a
// justification. Suppressed findings are not counted, and SARIF keeps them
// with a `suppressions` entry. docs/cli.md describes the format.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_SUPPRESSIONS_H
#define CONCUR_DRIVER_SUPPRESSIONS_H

#include "driver/JsonInput.h"
#include "driver/ResolvedFinding.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/GlobPattern.h"
#include <optional>
#include <string>
#include <vector>

namespace concur {

class SuppressionsFile {
public:
  /// Reads a file; errors name it and the line ("s.json:7: ...").
  static llvm::Expected<SuppressionsFile> load(llvm::StringRef Path);
  /// The same for a text in memory, named Name in errors.
  static llvm::Expected<SuppressionsFile> parse(llvm::StringRef Name,
                                                llvm::StringRef Text);

  /// Marks each finding an entry matches. RelativePath gives a finding's
  /// path as the entries spell it (relative to the source root).
  void apply(std::vector<ResolvedFinding> &Findings,
             llvm::function_ref<std::string(const ResolvedFinding &)>
                 RelativePath) const;

private:
  static llvm::Expected<SuppressionsFile> fromJson(const JsonInput &In);

  // llvm::GlobPattern refers to its pattern text without owning it, so the
  // patterns are kept as strings and compiled when matching.
  struct Entry {
    std::string Rule = "*";
    std::string Path; ///< empty: any path
    std::string Fingerprint;
    std::string Justification;
    unsigned Line = 0;
  };
  std::string FileName;
  std::vector<Entry> Entries;
};

} // namespace concur

#endif
