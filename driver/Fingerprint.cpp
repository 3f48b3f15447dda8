//===- Fingerprint.cpp ----------------------------------------------------===//

#include "driver/Fingerprint.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/xxhash.h"
#include <map>
#include <array>

namespace concur {

std::vector<std::string> lineHashes(llvm::StringRef Text) {
  constexpr unsigned Block = 100;
  constexpr uint64_t Mod = 37;
  uint64_t FirstMod = 1; // 37^100 mod 2^64
  for (unsigned I = 0; I < Block; ++I)
    FirstMod *= Mod;

  // The hash runs over UTF-16 code units, as JavaScript's charCodeAt does.
  llvm::SmallVector<llvm::UTF16, 0> Units;
  if (!llvm::convertUTF8ToUTF16String(Text, Units) || Units.empty()) {
    Units.clear();
    for (unsigned char C : Text) // not UTF-8: treat the bytes as Latin-1
      Units.push_back(C);
  } else if (Units.back() == 0) {
    Units.pop_back(); // the converter appends a terminator
  }

  std::array<uint32_t, Block> Window{};
  std::array<int64_t, Block> LineAt;
  LineAt.fill(-1);
  uint64_t Hash = 0;
  unsigned Index = 0;
  int64_t LineNumber = 0;
  bool LineStart = true, PrevCR = false;
  llvm::StringMap<unsigned> Counts;
  std::vector<std::string> Out;

  auto Emit = [&] {
    std::string Value = llvm::utohexstr(Hash, /*LowerCase=*/true);
    unsigned N = ++Counts[Value];
    int64_t Line = LineAt[Index];
    if (Line >= 1) {
      if (Out.size() < static_cast<size_t>(Line))
        Out.resize(Line);
      Out[Line - 1] = Value + ":" + std::to_string(N);
    }
    LineAt[Index] = -1;
  };
  auto Update = [&](uint32_t Current) {
    uint32_t Begin = Window[Index];
    Window[Index] = Current;
    Hash = Mod * Hash + Current - FirstMod * Begin;
    Index = (Index + 1) % Block;
  };
  auto Process = [&](uint32_t Current) {
    if (Current == ' ' || Current == '\t' || (PrevCR && Current == '\n')) {
      PrevCR = false;
      return;
    }
    if (Current == '\r') {
      Current = '\n';
      PrevCR = true;
    } else {
      PrevCR = false;
    }
    if (LineAt[Index] != -1)
      Emit();
    if (LineStart) {
      LineStart = false;
      ++LineNumber;
      LineAt[Index] = LineNumber;
    }
    if (Current == '\n')
      LineStart = true;
    Update(Current);
  };

  for (llvm::UTF16 U : Units)
    Process(U);
  Process(65535); // end of file
  for (unsigned I = 0; I < Block; ++I) {
    if (LineAt[Index] != -1)
      Emit();
    Update(0);
  }
  return Out;
}

std::string relativeToRoot(llvm::StringRef File, llvm::StringRef SourceRoot) {
  std::string Root = SourceRoot.str();
  if (!Root.empty() && Root.back() != '/')
    Root += '/';
  if (!Root.empty() && File.starts_with(Root))
    return File.drop_front(Root.size()).str();
  return File.str();
}

void assignFingerprints(std::vector<ResolvedFinding> &Findings,
                        llvm::StringRef SourceRoot,
                        const PathRenames *Renames) {
  std::map<uint64_t, unsigned> Seen;
  for (ResolvedFinding &F : Findings) {
    std::string Key = F.CheckId;
    Key += '\0';
    std::string Path = relativeToRoot(F.Loc.File, SourceRoot);
    if (Renames)
      if (auto It = Renames->find(Path); It != Renames->end())
        Path = It->second;
    Key += Path;
    Key += '\0';
    for (char C : F.Loc.LineText)
      if (!llvm::isSpace(C))
        Key += C;
    Key += '\0';
    // Counts in messages ("held at 5 of its 6 accesses") change with edits
    // elsewhere; the names in them do not.
    bool InNumber = false;
    for (char C : F.Message) {
      if (llvm::isDigit(C)) {
        if (!InNumber)
          Key += '#';
        InNumber = true;
        continue;
      }
      InNumber = false;
      Key += C;
    }
    uint64_t H = llvm::xxh3_64bits(llvm::StringRef(Key));
    F.Fingerprint = llvm::utohexstr(H, /*LowerCase=*/true, /*Width=*/16) +
                    ":" + std::to_string(++Seen[H]);
  }
}

} // namespace concur
