//===- SarifWriter.h - SARIF 2.1.0 output -----------------------*- C++ -*-===//
#ifndef CONCUR_DRIVER_SARIFWRITER_H
#define CONCUR_DRIVER_SARIFWRITER_H

#include "driver/ResolvedFinding.h"
#include "llvm/Support/raw_ostream.h"
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
};

/// Writes one SARIF run with concur's rules and the given results.
void writeSarif(llvm::raw_ostream &OS, const std::vector<ResolvedFinding> &Findings,
                const std::vector<FailedFile> &Failures, const SarifOptions &Opts);

/// The 1-based UTF-16 column of a 1-based byte column in a line.
unsigned utf16Column(llvm::StringRef LineText, unsigned ByteColumn);

} // namespace concur

#endif
