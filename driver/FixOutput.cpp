//===- FixOutput.cpp ------------------------------------------------------===//

#include "driver/FixOutput.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <map>
#include <memory>

namespace concur {

namespace {

/// The files fixes refer to, read once each.
class FileTexts {
public:
  const llvm::MemoryBuffer *get(const std::string &Path) {
    auto It = Texts.find(Path);
    if (It == Texts.end()) {
      auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false);
      It = Texts.try_emplace(Path, Buffer ? std::move(*Buffer) : nullptr).first;
    }
    return It->second.get();
  }

private:
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> Texts;
};

FileTexts &texts() {
  static FileTexts T;
  return T;
}

/// The byte offset of 1-based (Line, Column) in Text, if that column is on
/// that line (or just past its end).
std::optional<size_t> offsetOf(llvm::StringRef Text, unsigned Line,
                               unsigned Column) {
  size_t Start = 0;
  for (unsigned L = 1; L < Line; ++L) {
    size_t Break = Text.find('\n', Start);
    if (Break == llvm::StringRef::npos)
      return std::nullopt;
    Start = Break + 1;
  }
  size_t End = Text.find('\n', Start);
  if (End == llvm::StringRef::npos)
    End = Text.size();
  if (Column == 0 || Start + Column - 1 > End)
    return std::nullopt;
  return Start + Column - 1;
}

/// YAML single-quoted scalar: quotes doubled; line breaks cannot occur in
/// concur's messages and fix texts (one-line fixes).
std::string quoted(llvm::StringRef S) {
  std::string Out = "'";
  for (char C : S) {
    if (C == '\'')
      Out += "''";
    else if (C == '\n')
      Out += ' ';
    else
      Out += C;
  }
  return Out + "'";
}

} // namespace

std::vector<Replacement> replacementsOf(const ResolvedFinding &F,
                                        unsigned &Stale) {
  std::vector<Replacement> Out;
  for (const ResolvedNote &Fix : F.Fixes) {
    const llvm::MemoryBuffer *Buffer = texts().get(Fix.Loc.File);
    std::optional<size_t> Begin, End;
    if (Buffer) {
      Begin = offsetOf(Buffer->getBuffer(), Fix.Loc.Line, Fix.Loc.Column);
      End = offsetOf(Buffer->getBuffer(), Fix.Loc.Line, Fix.Loc.EndColumn);
    }
    if (!Begin || !End || *End < *Begin) {
      ++Stale;
      continue;
    }
    Out.push_back({Fix.Loc.File, *Begin, *End - *Begin, Fix.Message});
  }
  return Out;
}

std::string renderExportedFixes(const std::vector<const ResolvedFinding *> &Findings,
                                const std::string &BuildDirectory,
                                unsigned &Stale) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << "---\nMainSourceFile:  ''\nDiagnostics:\n";
  for (const ResolvedFinding *F : Findings) {
    std::optional<size_t> At;
    if (const llvm::MemoryBuffer *Buffer = texts().get(F->Loc.File))
      At = offsetOf(Buffer->getBuffer(), F->Loc.Line, F->Loc.Column);
    OS << "  - DiagnosticName:  " << quoted(F->CheckId) << "\n"
       << "    DiagnosticMessage:\n"
       << "      Message:         " << quoted(F->Message) << "\n"
       << "      FilePath:        " << quoted(F->Loc.File) << "\n"
       << "      FileOffset:      " << At.value_or(0) << "\n"
       << "      Replacements:";
    std::vector<Replacement> Rs = replacementsOf(*F, Stale);
    if (Rs.empty())
      OS << "    []\n";
    else
      OS << "\n";
    for (const Replacement &R : Rs)
      OS << "        - FilePath:        " << quoted(R.File) << "\n"
         << "          Offset:          " << R.Offset << "\n"
         << "          Length:          " << R.Length << "\n"
         << "          ReplacementText: " << quoted(R.Text) << "\n";
    OS << "    Level:           "
       << (F->Level == "note" ? "Remark" : F->Level == "error" ? "Error" : "Warning")
       << "\n    BuildDirectory:  " << quoted(BuildDirectory) << "\n";
  }
  if (Findings.empty())
    Out.replace(Out.rfind("Diagnostics:\n"), 13, "Diagnostics:     []\n");
  OS << "...\n";
  return Out;
}

llvm::Expected<FixesApplied>
applyFixes(const std::vector<const ResolvedFinding *> &Findings) {
  FixesApplied Result;
  std::map<std::string, std::vector<Replacement>> ByFile;
  for (const ResolvedFinding *F : Findings)
    for (Replacement &R : replacementsOf(*F, Result.Stale))
      ByFile[R.File].push_back(std::move(R));
  for (auto &[File, Rs] : ByFile) {
    // In order; one that overlaps a replacement already taken is left out
    // (two findings fixing one declaration the same way count once).
    std::stable_sort(Rs.begin(), Rs.end(), [](const Replacement &A,
                                              const Replacement &B) {
      return A.Offset < B.Offset;
    });
    std::vector<const Replacement *> Taken;
    for (const Replacement &R : Rs) {
      if (!Taken.empty()) {
        const Replacement &Last = *Taken.back();
        if (R.Offset == Last.Offset && R.Length == Last.Length &&
            R.Text == Last.Text)
          continue; // the same fix, from another finding
        if (R.Offset < Last.Offset + Last.Length ||
            (R.Offset == Last.Offset && R.Length == 0 && Last.Length == 0)) {
          ++Result.Conflicts;
          continue;
        }
      }
      Taken.push_back(&R);
    }
    llvm::StringRef Text = texts().get(File)->getBuffer();
    std::string New;
    size_t Pos = 0;
    for (const Replacement *R : Taken) {
      New.append(Text.data() + Pos, R->Offset - Pos);
      New += R->Text;
      Pos = R->Offset + R->Length;
    }
    New.append(Text.data() + Pos, Text.size() - Pos);

    llvm::SmallString<256> Temp;
    if (std::error_code EC = llvm::sys::fs::createUniqueFile(
            File + ".concur-fix-%%%%%%", Temp))
      return llvm::createStringError(EC, "cannot fix '" + File + "': " + EC.message());
    {
      std::error_code EC;
      llvm::raw_fd_ostream Out(Temp, EC);
      if (!EC) {
        Out << New;
        Out.close();
        if (Out.has_error())
          EC = Out.error();
      }
      if (EC) {
        llvm::sys::fs::remove(Temp);
        return llvm::createStringError(EC, "cannot fix '" + File + "': " + EC.message());
      }
    }
    // Keep the file's permissions.
    if (auto Perms = llvm::sys::fs::getPermissions(File))
      llvm::sys::fs::setPermissions(Temp, *Perms);
    if (std::error_code EC = llvm::sys::fs::rename(Temp, File)) {
      llvm::sys::fs::remove(Temp);
      return llvm::createStringError(EC, "cannot fix '" + File + "': " + EC.message());
    }
    Result.Applied += Taken.size();
    ++Result.Files;
  }
  return Result;
}

} // namespace concur
