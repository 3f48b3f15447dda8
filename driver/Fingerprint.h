//===- Fingerprint.h - GitHub code scanning's line hash ---------*- C++ -*-===//
#ifndef CONCUR_DRIVER_FINGERPRINT_H
#define CONCUR_DRIVER_FINGERPRINT_H

#include "driver/PathRenames.h"
#include "driver/ResolvedFinding.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace concur {

/// primaryLocationLineHash for every line of a file, as GitHub's upload
/// action computes it (codeql-action src/fingerprints.ts): a rolling hash of
/// the 100 non-blank characters (UTF-16 code units) starting at the line,
/// suffixed with ":N" for its N-th occurrence in the file. Index 0 is line 1.
/// Computing it ourselves makes the value the same whichever way the SARIF
/// is uploaded, and stable when lines are added above.
std::vector<std::string> lineHashes(llvm::StringRef FileText);

/// concur's own fingerprint, for --baseline and suppressions files: a hash
/// of the check, the file's path relative to the source root, the primary
/// line without its whitespace and the message without its numbers, then
/// ":N" for the N-th finding with that hash. It survives lines added or
/// removed anywhere else in the file and reformatting that does not split
/// the line; two findings on identical lines get ":1" and ":2".
/// Findings must be sorted by location. With Renames, a file's path is
/// first mapped through them, so that a baseline taken before a rename
/// matches the findings after it.
void assignFingerprints(std::vector<ResolvedFinding> &Findings,
                        llvm::StringRef SourceRoot,
                        const PathRenames *Renames = nullptr);

/// A path relative to the source root when it is below it, else unchanged.
std::string relativeToRoot(llvm::StringRef File, llvm::StringRef SourceRoot);

} // namespace concur

#endif
