//===- ResolvedFinding.cpp ------------------------------------------------===//

#include "driver/ResolvedFinding.h"
#include "checks/CheckRegistry.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace concur {

ResolvedLocation resolveLocation(const SourceManager &SM, const LangOptions &LO,
                                 SourceLocation Loc, llvm::StringRef WorkingDir) {
  ResolvedLocation R;
  if (Loc.isInvalid())
    return R;
  Loc = SM.getFileLoc(Loc);
  FileID FID = SM.getFileID(Loc);
  OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID);
  if (!FE)
    return R;
  R.DisplayFile = FE->getName().str();
  llvm::SmallString<256> Abs(R.DisplayFile);
  if (!llvm::sys::path::is_absolute(Abs)) {
    llvm::SmallString<256> Joined(WorkingDir);
    llvm::sys::path::append(Joined, Abs);
    Abs = Joined;
  }
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  R.File = Abs.str().str();
  R.Line = SM.getSpellingLineNumber(Loc);
  R.Column = SM.getSpellingColumnNumber(Loc);
  unsigned TokLen = Lexer::MeasureTokenLength(Loc, SM, LO);
  R.EndColumn = R.Column + (TokLen ? TokLen : 1);
  bool Invalid = false;
  llvm::StringRef Buffer = SM.getBufferData(FID, &Invalid);
  if (!Invalid) {
    unsigned Offset = SM.getFileOffset(Loc);
    size_t Start = Buffer.rfind('\n', Offset); // searches before Offset
    Start = Start == llvm::StringRef::npos ? 0 : Start + 1;
    size_t End = Buffer.find_first_of("\r\n", Offset);
    R.LineText = Buffer.slice(Start, End).str();
  }
  return R;
}

ResolvedFinding resolveFinding(const SourceManager &SM, const LangOptions &LO,
                               const Finding &F, llvm::StringRef WorkingDir) {
  ResolvedFinding R;
  R.CheckId = F.CheckId;
  R.Level = findingLevel(F);
  R.Message = F.Message;
  R.Loc = resolveLocation(SM, LO, F.Loc, WorkingDir);
  // A range that ends further on the same line (a qualified callee's name).
  if (F.EndLoc.isValid() && R.Loc.valid()) {
    SourceLocation Begin = SM.getFileLoc(F.Loc), End = SM.getFileLoc(F.EndLoc);
    if (SM.getFileID(Begin) == SM.getFileID(End) &&
        SM.getSpellingLineNumber(End) == R.Loc.Line) {
      unsigned EndCol = SM.getSpellingColumnNumber(End) +
                        std::max(1u, Lexer::MeasureTokenLength(End, SM, LO));
      R.Loc.EndColumn = std::max(R.Loc.EndColumn, EndCol);
    }
  }
  R.FlowStartNote = F.FlowStartNote;
  R.ThreadPaths = F.ThreadPaths;
  for (const FindingNote &N : F.Notes)
    R.Notes.push_back({resolveLocation(SM, LO, N.Loc, WorkingDir), N.Message});
  for (const FindingNote &N : F.CallChain)
    R.CallChain.push_back({resolveLocation(SM, LO, N.Loc, WorkingDir), N.Message});
  for (const FindingFix &Fix : F.Fixes) {
    // A fix of one line, outside macros: what text output, SARIF and the
    // facts files can all say.
    CharSourceRange Range = Lexer::makeFileCharRange(Fix.Range, SM, LO);
    if (Range.isInvalid())
      continue;
    SourceLocation Begin = Range.getBegin(), End = Range.getEnd();
    if (SM.getFileID(Begin) != SM.getFileID(End) ||
        SM.getSpellingLineNumber(Begin) != SM.getSpellingLineNumber(End))
      continue;
    ResolvedNote N{resolveLocation(SM, LO, Begin, WorkingDir), Fix.Text};
    N.Loc.EndColumn = SM.getSpellingColumnNumber(End);
    R.Fixes.push_back(std::move(N));
  }
  return R;
}

unsigned utf16Column(llvm::StringRef Line, unsigned ByteColumn) {
  unsigned Units = 0;
  for (unsigned I = 0; I + 1 < ByteColumn && I < Line.size();) {
    unsigned char C = Line[I];
    unsigned Len = C < 0x80 ? 1 : (C >> 5) == 0x6 ? 2 : (C >> 4) == 0xE ? 3
                 : (C >> 3) == 0x1E ? 4 : 1;
    Units += Len == 4 ? 2 : 1; // astral code points take a surrogate pair
    I += Len;
  }
  return Units + 1 + (ByteColumn > Line.size() + 1 ? ByteColumn - Line.size() - 1 : 0);
}

std::string percentEncodePath(llvm::StringRef Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-._~").contains(C)) {
      Out += C;
    } else {
      Out += '%';
      Out += llvm::hexdigit(C >> 4);
      Out += llvm::hexdigit(C & 15);
    }
  }
  return Out;
}

} // namespace concur
