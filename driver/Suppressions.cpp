//===- Suppressions.cpp ---------------------------------------------------===//

#include "driver/Suppressions.h"
#include "checks/engine/JsonLineIndex.h"
#include "driver/JsonInput.h"

using json = nlohmann::ordered_json;

namespace concur {

llvm::Expected<SuppressionsFile> SuppressionsFile::load(llvm::StringRef Path) {
  auto In = JsonInput::read(Path);
  if (!In)
    return In.takeError();
  return fromJson(*In);
}

llvm::Expected<SuppressionsFile> SuppressionsFile::parse(llvm::StringRef Name,
                                                         llvm::StringRef Text) {
  auto In = JsonInput::parse(Name, Text);
  if (!In)
    return In.takeError();
  return fromJson(*In);
}

llvm::Expected<SuppressionsFile>
SuppressionsFile::fromJson(const JsonInput &Input) {
  const JsonInput *In = &Input;
  const json &Doc = In->value();
  auto Fail = [&](const std::string &Pointer, const std::string &Msg) {
    return In->error(Pointer, Msg);
  };
  if (!Doc.is_object() || !Doc.contains("format") ||
      Doc["format"] != "concur-suppressions")
    return Fail(Doc.is_object() && Doc.contains("format") ? "/format" : "",
                "expected {\"format\": \"concur-suppressions\", \"version\": 1, "
                "\"suppressions\": [...]}");
  if (!Doc.contains("version") || Doc["version"] != 1)
    return Fail(Doc.contains("version") ? "/version" : "",
                "'version' must be 1");
  for (auto It = Doc.begin(); It != Doc.end(); ++It)
    if (It.key() != "format" && It.key() != "version" &&
        It.key() != "suppressions" && It.key() != "description")
      return Fail("/" + It.key(), "unknown field '" + It.key() + "'");
  if (!Doc.contains("suppressions") || !Doc["suppressions"].is_array())
    return Fail(Doc.contains("suppressions") ? "/suppressions" : "",
                "'suppressions' must be an array of entries");
  JsonLineIndex Lines(In->text());

  SuppressionsFile File;
  File.FileName = In->path();
  const json &List = Doc["suppressions"];
  for (size_t I = 0; I < List.size(); ++I) {
    std::string P = "/suppressions/" + std::to_string(I);
    const json &E = List[I];
    unsigned Line = Lines.lineOf(P);
    if (!E.is_object())
      return Fail(P, "an entry must be an object");
    Entry Out;
    Out.Line = Line;
    for (auto It = E.begin(); It != E.end(); ++It) {
      const std::string &Key = It.key();
      if (Key != "rule" && Key != "path" && Key != "fingerprint" &&
          Key != "justification")
        return Fail(P + "/" + Key, "unknown field '" + Key +
                                 "' (expected rule, path, fingerprint, justification)");
      if (!It->is_string())
        return Fail(P + "/" + Key, "'" + Key + "' must be a string");
      std::string V = It->get<std::string>();
      if (Key == "rule" || Key == "path") {
        auto G = llvm::GlobPattern::create(V);
        if (!G)
          return Fail(P + "/" + Key, "bad '" + Key + "' pattern: " +
                                   llvm::toString(G.takeError()));
        (Key == "rule" ? Out.Rule : Out.Path) = V;
      } else if (Key == "fingerprint") {
        Out.Fingerprint = V;
      } else {
        Out.Justification = V;
      }
    }
    if (Out.Justification.empty())
      return Fail(P, "an entry needs a 'justification': say why the "
                        "finding is accepted");
    if (Out.Path.empty() && Out.Fingerprint.empty())
      return Fail(P, "an entry needs a 'path' or a 'fingerprint' (a rule "
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
