//===- JsonLineIndex.h - Line numbers for values of a JSON text -*- C++ -*-===//
//
// nlohmann::json does not keep positions, and an error in a rules or
// suppressions file must name its line. This maps each value of a (valid)
// JSON text to the line it starts on, keyed by its JSON pointer
// ("/types/3/methods/lock").
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_JSONLINEINDEX_H
#define CONCUR_ENGINE_JSONLINEINDEX_H

#include "llvm/ADT/StringRef.h"
#include <map>
#include <optional>
#include <string>

namespace concur {

/// How deep the arrays and objects of a file concur reads may nest. Its
/// formats need a handful of levels (SARIF about a dozen); a file nested
/// deeper is refused before anything walks it.
constexpr unsigned MaxJsonNesting = 100;

/// The line where Text's arrays and objects first nest deeper than
/// MaxDepth, if they do (strings are skipped; the text need not be valid).
std::optional<unsigned> lineOfExcessiveNesting(llvm::StringRef Text,
                                               unsigned MaxDepth = MaxJsonNesting);

class JsonLineIndex {
public:
  /// Scans Text without recursion; values nested deeper than
  /// MaxJsonNesting are not indexed (lineOf gives 1 for them).
  explicit JsonLineIndex(llvm::StringRef Text);
  /// The line of the value at Path; 1 when unknown.
  unsigned lineOf(const std::string &Path) const;

private:
  void skipSpace();
  std::string string();
  void scalar();

  llvm::StringRef Text;
  size_t Pos = 0;
  unsigned Line = 1;
  std::map<std::string, unsigned> Lines;
};

} // namespace concur

#endif
