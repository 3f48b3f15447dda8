//===- JsonLineIndex.cpp --------------------------------------------------===//

#include "checks/engine/JsonLineIndex.h"
#include <cctype>
#include <cstring>
#include <vector>

namespace concur {

std::optional<unsigned> lineOfExcessiveNesting(llvm::StringRef Text,
                                               unsigned MaxDepth) {
  unsigned Depth = 0, Line = 1;
  bool InString = false;
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (C == '\n')
      ++Line;
    if (InString) {
      if (C == '\\')
        ++I;
      else if (C == '"')
        InString = false;
    } else if (C == '"') {
      InString = true;
    } else if (C == '[' || C == '{') {
      if (++Depth > MaxDepth)
        return Line;
    } else if ((C == ']' || C == '}') && Depth > 0) {
      --Depth;
    }
  }
  return std::nullopt;
}

JsonLineIndex::JsonLineIndex(llvm::StringRef Text) : Text(Text) {
  // One frame per open array or object: its pointer, whether it is an
  // object, and the index of its next element.
  struct Frame {
    std::string Path;
    bool Object;
    unsigned Next = 0;
  };
  std::vector<Frame> Stack;
  // Values below MaxJsonNesting are scanned, not indexed.
  auto Record = [&](const std::string &Path) {
    if (Stack.size() <= MaxJsonNesting)
      Lines.try_emplace(Path, Line);
  };
  std::string Path;
  skipSpace();
  while (true) {
    // A value starts at Pos, at pointer Path.
    if (Pos >= Text.size())
      break;
    Record(Path);
    char C = Text[Pos];
    bool Opened = false;
    if (C == '{' || C == '[') {
      ++Pos;
      Stack.push_back({Path, C == '{'});
      Opened = true;
    } else if (C == '"') {
      string();
    } else {
      scalar();
    }
    // Find the next value: the first element of what just opened, or the
    // element after this one, closing what ends on the way.
    bool Found = false;
    bool First = Opened;
    while (!Stack.empty()) {
      skipSpace();
      Frame &Top = Stack.back();
      if (!First) {
        if (Pos < Text.size() && Text[Pos] == ',') {
          ++Pos;
          skipSpace();
        }
      }
      First = false;
      if (Pos >= Text.size())
        return;
      char Close = Top.Object ? '}' : ']';
      if (Text[Pos] == Close || Text[Pos] == ']' || Text[Pos] == '}') {
        ++Pos;
        Stack.pop_back();
        continue;
      }
      bool Deep = Stack.size() > MaxJsonNesting;
      if (Top.Object) {
        std::string Key = string();
        skipSpace();
        if (Pos < Text.size() && Text[Pos] == ':')
          ++Pos;
        skipSpace();
        Path = Deep ? std::string() : Top.Path + "/" + Key;
      } else {
        Path = Deep ? std::string() : Top.Path + "/" + std::to_string(Top.Next);
        ++Top.Next;
      }
      Found = true;
      break;
    }
    if (!Found)
      break;
  }
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
    if (Pos < Text.size()) {
      if (Text[Pos] == '\n')
        ++Line;
      S += Text[Pos++];
    }
  }
  ++Pos;
  return S;
}

void JsonLineIndex::scalar() {
  size_t Start = Pos;
  while (Pos < Text.size() && !strchr(",]} \t\r\n", Text[Pos]))
    ++Pos;
  if (Pos == Start)
    ++Pos; // a stray character: never stand still
}

} // namespace concur
