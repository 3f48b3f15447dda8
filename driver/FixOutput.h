//===- FixOutput.h - Fix-its applied or exported ----------------*- C++ -*-===//
//
// The driver's --fix (apply the fix-its of the findings it reports, in
// place, as clang-tidy --fix does) and --export-fixes (clang-tidy's YAML,
// which clang-apply-replacements applies later, e.g. after review).
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_FIXOUTPUT_H
#define CONCUR_DRIVER_FIXOUTPUT_H

#include "driver/ResolvedFinding.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace concur {

/// One replacement in a file, in bytes.
struct Replacement {
  std::string File;
  size_t Offset = 0, Length = 0;
  std::string Text;
};

/// The replacements of a finding's fix-its, checked against the files as
/// they are now: a fix whose line or columns no longer exist is dropped
/// (Stale counts them).
std::vector<Replacement> replacementsOf(const ResolvedFinding &F,
                                        unsigned &Stale);

/// clang-tidy's export-fixes YAML for Findings (those with fix-its get
/// their replacements; the others are listed without).
std::string renderExportedFixes(const std::vector<const ResolvedFinding *> &Findings,
                                const std::string &BuildDirectory,
                                unsigned &Stale);

struct FixesApplied {
  unsigned Applied = 0;   ///< replacements written
  unsigned Conflicts = 0; ///< left out: they overlap one already taken
  unsigned Stale = 0;     ///< left out: the file changed since the analysis
  unsigned Files = 0;
};

/// Applies the fix-its of Findings to their files (each file rewritten
/// once, through a temporary file and a rename).
llvm::Expected<FixesApplied>
applyFixes(const std::vector<const ResolvedFinding *> &Findings);

} // namespace concur

#endif
