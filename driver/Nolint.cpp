//===- Nolint.cpp ---------------------------------------------------------===//

#include "driver/Nolint.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/GlobPattern.h"

namespace concur {

/// Whether the NOLINT marker starting at Pos applies to CheckId: with no
/// parenthesised list it applies to all checks.
static bool markerCovers(llvm::StringRef Text, size_t AfterMarker,
                         llvm::StringRef CheckId) {
  llvm::StringRef Rest = Text.drop_front(AfterMarker);
  if (!Rest.starts_with("("))
    return true;
  size_t Close = Rest.find(')');
  if (Close == llvm::StringRef::npos)
    return false; // clang-tidy ignores an unterminated list
  llvm::SmallVector<llvm::StringRef, 4> Globs;
  Rest.slice(1, Close).split(Globs, ',', -1, false);
  for (llvm::StringRef G : Globs) {
    auto Pat = llvm::GlobPattern::create(G.trim());
    if (Pat && Pat->match(CheckId))
      return true;
    if (!Pat)
      llvm::consumeError(Pat.takeError());
  }
  return false;
}

/// Finds `Marker` in Line, not followed by more identifier characters (so
/// that NOLINT does not match NOLINTNEXTLINE), and tests it.
static bool lineHas(llvm::StringRef Line, llvm::StringRef Marker,
                    llvm::StringRef CheckId) {
  for (size_t Pos = Line.find(Marker); Pos != llvm::StringRef::npos;
       Pos = Line.find(Marker, Pos + 1)) {
    size_t After = Pos + Marker.size();
    if (After < Line.size() && (isalnum(Line[After]) || Line[After] == '_'))
      continue;
    if (markerCovers(Line, After, CheckId))
      return true;
  }
  return false;
}

NolintIndex::NolintIndex(llvm::StringRef FileText)
    : HasMarker(FileText.contains("NOLINT")) {
  if (!HasMarker)
    return;
  llvm::SmallVector<llvm::StringRef, 0> Split;
  FileText.split(Split, '\n');
  Lines.assign(Split.begin(), Split.end());
}

bool NolintIndex::suppresses(unsigned Line, llvm::StringRef CheckId) {
  if (!HasMarker || Line == 0 || Line > Lines.size())
    return false;
  if (lineHas(Lines[Line - 1], "NOLINT", CheckId))
    return true;
  if (Line >= 2 && lineHas(Lines[Line - 2], "NOLINTNEXTLINE", CheckId))
    return true;
  // NOLINTBEGIN/NOLINTEND regions: the open ones that cover CheckId.
  auto [It, New] = OpenBefore.try_emplace(CheckId);
  std::vector<unsigned> &Open = It->second;
  if (New) {
    Open.resize(Lines.size() + 1);
    unsigned N = 0;
    for (size_t I = 0; I < Lines.size(); ++I) {
      Open[I] = N;
      if (!Lines[I].contains("NOLINT"))
        continue;
      if (lineHas(Lines[I], "NOLINTBEGIN", CheckId))
        ++N;
      if (lineHas(Lines[I], "NOLINTEND", CheckId) && N > 0)
        --N;
    }
    Open[Lines.size()] = N;
  }
  return Open[Line - 1] > 0;
}

bool isSuppressedByNolint(llvm::StringRef FileText, unsigned Line,
                          llvm::StringRef CheckId) {
  return NolintIndex(FileText).suppresses(Line, CheckId);
}

} // namespace concur
