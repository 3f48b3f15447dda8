//===- Suppressions.cpp ---------------------------------------------------===//

#include "driver/Suppressions.h"
#include "checks/engine/JsonLineIndex.h"
#include "llvm/Support/MemoryBuffer.h"
#include <nlohmann/json.hpp>

using json = nlohmann::json;

namespace concur {

llvm::Expected<SuppressionsFile> SuppressionsFile::load(llvm::StringRef Path) {
  auto Fail = [&](unsigned Line, const std::string &Msg) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s:%u: %s", Path.str().c_str(), Line,
                                   Msg.c_str());
  };
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return llvm::createStringError(Buf.getError(), "%s: cannot read: %s",
                                   Path.str().c_str(),
                                   Buf.getError().message().c_str());
  llvm::StringRef Text = (*Buf)->getBuffer();
  json Doc;
  try {
    Doc = json::parse(Text.begin(), Text.end());
  } catch (const json::parse_error &E) {
    // nlohmann reports a byte offset; turn it into a line.
    size_t Offset = std::min<size_t>(E.byte, Text.size());
    unsigned Line = 1 + Text.take_front(Offset).count('\n');
    std::string What = E.what();
    size_t Colon = What.rfind(": ");
    return Fail(Line, "not valid JSON: " +
                          (Colon == std::string::npos ? What : What.substr(Colon + 2)));
  }
  JsonLineIndex Lines(Text);
  if (!Doc.is_object() || Doc.value("format", "") != "concur-suppressions")
    return Fail(1, "expected {\"format\": \"concur-suppressions\", \"version\": 1, "
                   "\"suppressions\": [...]}");
  if (Doc.value("version", 0) != 1)
    return Fail(Lines.lineOf("/version"), "'version' must be 1");
  for (auto It = Doc.begin(); It != Doc.end(); ++It)
    if (It.key() != "format" && It.key() != "version" &&
        It.key() != "suppressions" && It.key() != "description")
      return Fail(Lines.lineOf("/" + It.key()),
                  "unknown field '" + It.key() + "'");
  if (!Doc.contains("suppressions") || !Doc["suppressions"].is_array())
    return Fail(Lines.lineOf("/suppressions"),
                "'suppressions' must be an array of entries");

  SuppressionsFile File;
  File.FileName = Path.str();
  const json &List = Doc["suppressions"];
  for (size_t I = 0; I < List.size(); ++I) {
    std::string P = "/suppressions/" + std::to_string(I);
    const json &E = List[I];
    unsigned Line = Lines.lineOf(P);
    if (!E.is_object())
      return Fail(Line, "an entry must be an object");
    Entry Out;
    Out.Line = Line;
    for (auto It = E.begin(); It != E.end(); ++It) {
      const std::string &Key = It.key();
      unsigned KeyLine = Lines.lineOf(P + "/" + Key);
      if (Key != "rule" && Key != "path" && Key != "fingerprint" &&
          Key != "justification")
        return Fail(KeyLine, "unknown field '" + Key +
                                 "' (expected rule, path, fingerprint, justification)");
      if (!It->is_string())
        return Fail(KeyLine, "'" + Key + "' must be a string");
      std::string V = It->get<std::string>();
      if (Key == "rule" || Key == "path") {
        auto G = llvm::GlobPattern::create(V);
        if (!G)
          return Fail(KeyLine, "bad '" + Key + "' pattern: " +
                                   llvm::toString(G.takeError()));
        (Key == "rule" ? Out.Rule : Out.Path) = V;
      } else if (Key == "fingerprint") {
        Out.Fingerprint = V;
      } else {
        Out.Justification = V;
      }
    }
    if (Out.Justification.empty())
      return Fail(Line, "an entry needs a 'justification': say why the "
                        "finding is accepted");
    if (Out.Path.empty() && Out.Fingerprint.empty())
      return Fail(Line, "an entry needs a 'path' or a 'fingerprint' (a rule "
                        "alone would turn the check off: use --checks)");
    File.Entries.push_back(std::move(Out));
  }
  return File;
}

void SuppressionsFile::apply(
    std::vector<ResolvedFinding> &Findings,
    llvm::function_ref<std::string(const ResolvedFinding &)> RelativePath) const {
  for (ResolvedFinding &F : Findings) {
    if (F.Suppression)
      continue;
    std::string Rel = RelativePath(F);
    for (const Entry &E : Entries) {
      auto Matches = [](const std::string &Pattern, llvm::StringRef S) {
        auto G = llvm::GlobPattern::create(Pattern);
        return G && G->match(S);
      };
      if (!Matches(E.Rule, F.CheckId))
        continue;
      if (!E.Path.empty() && !Matches(E.Path, Rel))
        continue;
      if (!E.Fingerprint.empty() && E.Fingerprint != F.Fingerprint)
        continue;
      F.Suppression = SuppressionInfo{"external", E.Justification, FileName, E.Line};
      break;
    }
  }
}

} // namespace concur
