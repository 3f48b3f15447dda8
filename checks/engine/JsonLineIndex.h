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
#include <string>

namespace concur {

class JsonLineIndex {
public:
  explicit JsonLineIndex(llvm::StringRef Text);
  /// The line of the value at Path; 1 when unknown.
  unsigned lineOf(const std::string &Path) const;

private:
  void skipSpace();
  std::string string();
  void value(const std::string &Path);

  llvm::StringRef Text;
  size_t Pos = 0;
  unsigned Line = 1;
  std::map<std::string, unsigned> Lines;
};

} // namespace concur

#endif
