//===- ResolvedFinding.h - A finding outside its translation unit -*- C++ -*-===//
//
// Findings carry SourceLocations, which die with their translation unit. The
// driver resolves them to file, line and column (and keeps the source line
// for printing) before the TU is torn down, so that findings of all TUs can
// be merged, de-duplicated and written at the end.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_RESOLVEDFINDING_H
#define CONCUR_DRIVER_RESOLVEDFINDING_H

#include "checks/engine/Finding.h"
#include "clang/Basic/SourceManager.h"
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace concur {

struct ResolvedLocation {
  std::string File;        ///< absolute, normalised
  std::string DisplayFile; ///< as the compiler spelled it
  unsigned Line = 0, Column = 0; ///< 1-based; Column in bytes
  unsigned EndColumn = 0;  ///< exclusive, bytes: the end of the token
  std::string LineText;    ///< the source line, for printing and SARIF columns
  bool valid() const { return Line != 0; }
};

struct ResolvedNote {
  ResolvedLocation Loc;
  std::string Message;
};

/// Why a finding is not counted: a NOLINT comment ("inSource") or an entry
/// of a suppressions file ("external"). Suppressed findings stay in SARIF.
struct SuppressionInfo {
  std::string Kind;          ///< SARIF suppression kind
  std::string Justification;
  std::string File;          ///< the suppressions file, for "external"
  unsigned Line = 0;         ///< its entry's line
};

struct ResolvedFinding {
  std::string CheckId;
  /// SARIF level: "error", "warning" or "note" (the finding's own, else
  /// its check's default).
  std::string Level = "warning";
  ResolvedLocation Loc;
  std::string Message;
  std::vector<ResolvedNote> Notes;
  std::vector<ResolvedNote> CallChain;
  std::optional<unsigned> FlowStartNote; ///< see Finding
  std::vector<std::vector<unsigned>> ThreadPaths; ///< see Finding
  /// Fix-its: each replaces Loc's Column..EndColumn (one line) with its
  /// Message.
  std::vector<ResolvedNote> Fixes;
  /// Set by the driver once all findings are in (see Fingerprint.h).
  std::string Fingerprint;
  std::optional<SuppressionInfo> Suppression;
  /// With --baseline: "new" or "unchanged".
  std::string BaselineState;
  /// A finding the project link confirms (see Finding::CalledAs).
  std::vector<std::vector<std::string>> CalledAs;

  /// One finding per check and place: a header's finding seen by several
  /// TUs can differ in its evidence counts.
  auto key() const { return std::tie(Loc.File, Loc.Line, Loc.Column, CheckId); }
  /// Which of those is kept: the first by message, so runs agree.
  auto order() const {
    return std::tie(Loc.File, Loc.Line, Loc.Column, CheckId, Message);
  }
};

/// Resolves a location to its file position (the expansion site for macros).
ResolvedLocation resolveLocation(const clang::SourceManager &SM,
                                 const clang::LangOptions &LO,
                                 clang::SourceLocation Loc,
                                 llvm::StringRef WorkingDir);
ResolvedFinding resolveFinding(const clang::SourceManager &SM,
                               const clang::LangOptions &LO, const Finding &F,
                               llvm::StringRef WorkingDir);

/// The 1-based UTF-16 column of a 1-based byte column in a line (SARIF's
/// utf16CodeUnits, LSP's default position encoding).
unsigned utf16Column(llvm::StringRef LineText, unsigned ByteColumn);

/// A path as a URI path: RFC 3986 unreserved characters and '/' stay, every
/// other byte is percent-encoded.
std::string percentEncodePath(llvm::StringRef Path);

} // namespace concur

#endif
