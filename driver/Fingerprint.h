//===- Fingerprint.h - GitHub code scanning's line hash ---------*- C++ -*-===//
#ifndef CONCUR_DRIVER_FINGERPRINT_H
#define CONCUR_DRIVER_FINGERPRINT_H

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

} // namespace concur

#endif
