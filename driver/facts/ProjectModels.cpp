//===- ProjectModels.cpp --------------------------------------------------===//

#include "driver/facts/ProjectModels.h"
#include "checks/engine/ApiModels.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <nlohmann/json.hpp>

using json = nlohmann::json;

namespace concur {

namespace {

const char *const Description =
    "Lock, guard and condition-variable models that concur inferred from "
    "bodies in one translation unit of this project, for the others, which "
    "see only declarations. Written by concur; a rule of the same name in "
    "your rules files replaces one of these.";

std::string rulesFile(const std::vector<std::string> &Entries) {
  std::string Text = "{\"format\": \"concur-rules\", \"version\": 1,\n"
                     " \"description\": " +
                     json(Description).dump() + ",\n \"types\": [";
  for (size_t I = 0; I < Entries.size(); ++I)
    Text += (I ? ",\n  " : "\n  ") + Entries[I];
  Text += "\n]}\n";
  return Text;
}

/// Whether Entry reads back as a rules entry of Type.
bool isRuleOf(const std::string &Type, const std::string &Entry) {
  json J = json::parse(Entry, nullptr, /*allow_exceptions=*/false);
  if (J.is_discarded() || !J.is_object() || !J.contains("names") ||
      J["names"] != json::array({Type}))
    return false;
  ApiModels Check;
  if (llvm::Error E = Check.addRulesText("model", rulesFile({Entry}))) {
    llvm::consumeError(std::move(E));
    return false;
  }
  return true;
}

} // namespace

std::string ProjectModels::pathIn(llvm::StringRef FactsDir) {
  llvm::SmallString<256> P(FactsDir);
  llvm::sys::path::append(P, "models.json");
  return P.str().str();
}

ProjectModels ProjectModels::unite(llvm::ArrayRef<const UnitFacts *> Units,
                                   std::vector<std::string> &Problems) {
  // In path order, whatever order the caller has them in: the same winner
  // for a run, a link of shards and the next run.
  std::vector<const UnitFacts *> Ordered(Units.begin(), Units.end());
  llvm::stable_sort(Ordered, [](const UnitFacts *A, const UnitFacts *B) {
    return A->MainFile < B->MainFile;
  });
  ProjectModels Out;
  for (const UnitFacts *U : Ordered)
    for (const ModelFact &M : U->Models) {
      if (Out.ByType.count(M.Type))
        continue;
      if (!isRuleOf(M.Type, M.Rule)) {
        Problems.push_back("the model of '" + M.Type + "' in the facts of '" +
                           U->MainFile + "' is not a rules entry");
        continue;
      }
      Out.ByType.emplace(M.Type, M.Rule);
    }
  return Out;
}

llvm::Expected<ProjectModels> ProjectModels::read(llvm::StringRef Path) {
  ProjectModels Out;
  if (!llvm::sys::fs::exists(Path))
    return Out;
  auto Fail = [&](const std::string &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s",
                                   Path.str().c_str(), Why.c_str());
  };
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return Fail(Buffer.getError().message());
  // The file must read as rules as a whole before its entries are taken.
  ApiModels Check;
  if (llvm::Error E = Check.addRulesText(Path, (*Buffer)->getBuffer()))
    return std::move(E);
  json Doc = json::parse((*Buffer)->getBuffer(), nullptr, false);
  if (Doc.is_discarded() || !Doc.is_object() || !Doc.contains("types") ||
      !Doc["types"].is_array())
    return Fail("not a models file written by concur");
  for (const json &T : Doc["types"]) {
    if (!T.is_object() || !T.contains("names") || !T["names"].is_array() ||
        T["names"].size() != 1 || !T["names"][0].is_string())
      return Fail("each type must have exactly one name");
    Out.ByType[T["names"][0].get<std::string>()] = T.dump();
  }
  return Out;
}

std::string ProjectModels::rulesText() const {
  if (ByType.empty())
    return "";
  std::vector<std::string> Entries;
  for (auto &KV : ByType)
    Entries.push_back(KV.second);
  return rulesFile(Entries);
}

llvm::Error ProjectModels::write(llvm::StringRef Path) const {
  if (ByType.empty()) {
    llvm::sys::fs::remove(Path);
    return llvm::Error::success();
  }
  std::string Text = rulesText();
  return llvm::writeToOutput(Path, [&](llvm::raw_ostream &OS) {
    OS << Text;
    return llvm::Error::success();
  });
}

uint64_t ProjectModels::hashFor(llvm::ArrayRef<std::string> Types) const {
  std::string Text;
  for (const std::string &T : Types) {
    Text += T;
    Text += '\0';
    auto It = ByType.find(T);
    if (It != ByType.end())
      Text += It->second;
    Text += '\0';
  }
  return contentHash(Text);
}

} // namespace concur
