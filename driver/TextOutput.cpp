//===- TextOutput.cpp -----------------------------------------------------===//

#include "driver/TextOutput.h"
#include "llvm/Support/Format.h"

namespace concur {

static void printOne(llvm::raw_ostream &OS, const ResolvedLocation &L,
                     bool IsNote, llvm::StringRef Message,
                     llvm::StringRef CheckId, bool Colors) {
  if (Colors)
    OS.changeColor(llvm::raw_ostream::SAVEDCOLOR, /*Bold=*/true);
  if (L.valid())
    OS << L.DisplayFile << ":" << L.Line << ":" << L.Column << ": ";
  if (Colors)
    OS.changeColor(IsNote ? llvm::raw_ostream::BLACK : llvm::raw_ostream::MAGENTA,
                   /*Bold=*/true);
  OS << (IsNote ? "note: " : "warning: ");
  if (Colors)
    OS.changeColor(llvm::raw_ostream::SAVEDCOLOR, /*Bold=*/true);
  OS << Message;
  if (!CheckId.empty())
    OS << " [" << CheckId << "]";
  if (Colors)
    OS.resetColor();
  OS << "\n";
  if (!L.valid() || L.LineText.empty())
    return;
  OS << llvm::format("%5u", L.Line) << " | " << L.LineText << "\n";
  OS << "      | ";
  for (unsigned I = 1; I < L.Column && I <= L.LineText.size(); ++I)
    OS << (L.LineText[I - 1] == '\t' ? '\t' : ' ');
  if (Colors)
    OS.changeColor(llvm::raw_ostream::GREEN, /*Bold=*/true);
  OS << "^";
  if (Colors)
    OS.resetColor();
  OS << "\n";
}

void printFinding(llvm::raw_ostream &OS, const ResolvedFinding &F, bool Colors) {
  // A note-level finding prints as a note that names its check, as
  // clang-tidy prints a remark: the evidence notes after it name none.
  printOne(OS, F.Loc, F.Level == "note", F.Message, F.CheckId, Colors);
  for (const ResolvedNote &N : F.Notes)
    printOne(OS, N.Loc, true, N.Message, "", Colors);
  for (const ResolvedNote &N : F.CallChain)
    printOne(OS, N.Loc, true, N.Message, "", Colors);
  // As clang's -fdiagnostics-parseable-fixits prints them.
  for (const ResolvedNote &Fix : F.Fixes)
    OS << "fix-it:\"" << Fix.Loc.DisplayFile << "\":{" << Fix.Loc.Line << ":"
       << Fix.Loc.Column << "-" << Fix.Loc.Line << ":" << Fix.Loc.EndColumn
       << "}:\"" << llvm::StringRef(Fix.Message) << "\"\n";
}

} // namespace concur
