//===- FileSettings.cpp ---------------------------------------------------===//

#include "driver/config/FileSettings.h"
#include "driver/facts/UnitFacts.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

namespace concur {

bool FileSettings::enablesAny() const {
  return llvm::any_of(allChecks(),
                      [&](const CheckInfo &C) { return Checks.enabled(C.Id); });
}

llvm::Expected<std::shared_ptr<const FileSettings>>
SettingsResolver::forFile(llvm::StringRef File) {
  std::shared_ptr<const TidyConfig> Config;
  if (!CommandLine.NoConfigFiles) {
    auto C = Finder.forFile(File);
    if (!C)
      return C.takeError();
    Config = *C;
  } else {
    Config = std::make_shared<TidyConfig>();
  }
  std::string Checks = Config->checksFor(CommandLine.Checks);
  std::vector<std::string> Rules = CommandLine.RulesFiles;
  for (const std::string &R : Config->RulesFiles)
    if (llvm::find(Rules, R) == Rules.end())
      Rules.push_back(R);
  bool Ignore = CommandLine.IgnoreAnnotations || Config->IgnoreAnnotations;

  std::string Key = "checks=" + Checks + (Ignore ? ";ignore-annotations" : "");
  for (const std::string &R : Rules) {
    Key += ";rules=" + R + ":";
    if (auto Buffer = llvm::MemoryBuffer::getFile(R))
      Key += llvm::utohexstr(contentHash((*Buffer)->getBuffer()));
  }

  std::shared_ptr<const ApiModels> Models;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    std::string RulesKey = Key.substr(Key.find(";rules=") == std::string::npos
                                          ? Key.size()
                                          : Key.find(";rules="));
    auto It = ModelsByRules.find(RulesKey);
    if (It == ModelsByRules.end()) {
      auto Loaded = ApiModels::load(Rules, ProjectModelsName, ProjectModelsText);
      if (!Loaded) {
        std::string Why = llvm::toString(Loaded.takeError());
        if (!Config->Sources.empty())
          Why += " (rules named by '" + Config->Sources.back() + "')";
        return llvm::createStringError(llvm::inconvertibleErrorCode(), Why);
      }
      It = ModelsByRules.emplace(RulesKey, *Loaded).first;
    }
    Models = It->second;
  }
  auto S = std::make_shared<FileSettings>();
  S->Checks = CheckFilter(Checks);
  S->Models = std::move(Models);
  S->UseThreadSafetyAnnotations = !Ignore;
  S->Key = std::move(Key);
  S->Sources = Config->Sources;
  return std::shared_ptr<const FileSettings>(S);
}

} // namespace concur
