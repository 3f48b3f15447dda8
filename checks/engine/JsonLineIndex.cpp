//===- JsonLineIndex.cpp --------------------------------------------------===//

#include "checks/engine/JsonLineIndex.h"
#include <cctype>
#include <cstring>

namespace concur {

JsonLineIndex::JsonLineIndex(llvm::StringRef Text) : Text(Text) {
  skipSpace();
  value("");
}

unsigned JsonLineIndex::lineOf(const std::string &Path) const {
  auto It = Lines.find(Path);
  return It == Lines.end() ? 1 : It->second;
}

void JsonLineIndex::skipSpace() {
  while (Pos < Text.size() && isspace(static_cast<unsigned char>(Text[Pos]))) {
    if (Text[Pos] == '\n')
      ++Line;
    ++Pos;
  }
}

std::string JsonLineIndex::string() {
  std::string S;
  ++Pos; // opening quote
  while (Pos < Text.size() && Text[Pos] != '"') {
    if (Text[Pos] == '\\')
      ++Pos; // keys with escapes are not ours to interpret
    if (Pos < Text.size())
      S += Text[Pos++];
  }
  ++Pos;
  return S;
}

void JsonLineIndex::value(const std::string &Path) {
  Lines.try_emplace(Path, Line);
  if (Pos >= Text.size())
    return;
  char C = Text[Pos];
  if (C == '{') {
    ++Pos;
    skipSpace();
    while (Pos < Text.size() && Text[Pos] != '}') {
      std::string Key = string();
      skipSpace();
      ++Pos; // ':'
      skipSpace();
      value(Path + "/" + Key);
      skipSpace();
      if (Pos < Text.size() && Text[Pos] == ',') {
        ++Pos;
        skipSpace();
      }
    }
    ++Pos;
  } else if (C == '[') {
    ++Pos;
    skipSpace();
    for (unsigned I = 0; Pos < Text.size() && Text[Pos] != ']'; ++I) {
      value(Path + "/" + std::to_string(I));
      skipSpace();
      if (Pos < Text.size() && Text[Pos] == ',') {
        ++Pos;
        skipSpace();
      }
    }
    ++Pos;
  } else if (C == '"') {
    string();
  } else {
    while (Pos < Text.size() && !strchr(",]} \t\r\n", Text[Pos]))
      ++Pos;
  }
}

} // namespace concur
