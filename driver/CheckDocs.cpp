//===- CheckDocs.cpp ------------------------------------------------------===//

#include "driver/CheckDocs.h"
#include "checks/engine/Version.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Path.h"

namespace concur {

/// Resolves a link target of a page in docs/checks/ against the docs base
/// URL: "../rules-format.md" is BASE/rules-format.md. Absolute URLs and
/// anchors stay as they are.
static std::string absoluteLink(llvm::StringRef Target, llvm::StringRef PageDir) {
  if (Target.contains("://") || Target.starts_with("#") || Target.empty())
    return Target.str();
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  PageDir.split(Parts, '/', -1, false);
  llvm::SmallVector<llvm::StringRef, 8> Rel;
  Target.split(Rel, '/', -1, false);
  // A target above docs/ (`../../rules`) climbs out of the base URL too.
  llvm::StringRef Base = CONCUR_DOCS_BASE_URL;
  for (llvm::StringRef P : Rel) {
    if (P == "..") {
      if (!Parts.empty())
        Parts.pop_back();
      else
        Base = Base.rsplit('/').first;
    } else if (P != ".") {
      Parts.push_back(P);
    }
  }
  std::string Out = Base.str();
  for (llvm::StringRef P : Parts)
    Out += "/" + P.str();
  return Out;
}

/// Rewrites every `](target)` of Markdown text with absoluteLink.
static std::string withAbsoluteLinks(llvm::StringRef Text, llvm::StringRef PageDir) {
  std::string Out;
  while (true) {
    size_t Open = Text.find("](");
    if (Open == llvm::StringRef::npos)
      break;
    size_t Close = Text.find(')', Open + 2);
    if (Close == llvm::StringRef::npos)
      break;
    Out += Text.take_front(Open + 2).str();
    Out += absoluteLink(Text.slice(Open + 2, Close), PageDir);
    Text = Text.drop_front(Close);
  }
  return Out + Text.str();
}

std::string checkHelpMarkdown(const CheckInfo &C) {
  llvm::StringRef Page;
  for (const EmbeddedFile &F : checkDocPages())
    if (llvm::StringRef(F.Name) == C.DocPage)
      Page = F.Text;
  if (Page.empty())
    return "";
  // Keep the summary under the title and the sections that say what is
  // found and how to fix it, with their subsections.
  std::string Kept;
  bool Keep = true;
  bool InCode = false;
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  Page.split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    if (Line.starts_with("```"))
      InCode = !InCode;
    if (!InCode && Line.starts_with("# "))
      continue; // the title is the rule's name already
    if (!InCode && Line.starts_with("## ")) {
      llvm::StringRef Title = Line.drop_front(3).trim();
      Keep = Title == "What it finds" || Title == "How to fix it";
    }
    if (Keep)
      Kept += Line.str() + "\n";
  }
  std::string Dir = llvm::sys::path::parent_path(C.DocPage).str();
  return llvm::StringRef(withAbsoluteLinks(Kept, Dir)).trim().str() +
         "\n\nThe whole page: [" + C.Id + "](" + checkHelpUri(C) + ")\n";
}

} // namespace concur
