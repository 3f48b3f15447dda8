//===- TidyConfig.cpp -----------------------------------------------------===//

#include "driver/config/TidyConfig.h"
#include "checks/CheckRegistry.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

namespace concur {

struct TidyConfigFinder::Level {
  bool Exists = false;
  std::string Path; ///< the .clang-tidy file
  clang::tidy::ClangTidyOptions Options;
};

std::string TidyConfig::checksFor(
    const std::optional<std::string> &CommandLine) const {
  if (CommandLine)
    return *CommandLine;
  return Checks ? *Checks : std::string("concur-*");
}

llvm::Expected<std::shared_ptr<const TidyConfigFinder::Level>>
TidyConfigFinder::levelFor(llvm::StringRef Dir) {
  if (auto It = Levels.find(Dir); It != Levels.end())
    return It->second;
  auto L = std::make_shared<Level>();
  llvm::SmallString<256> Path(Dir);
  llvm::sys::path::append(Path, ".clang-tidy");
  if (llvm::sys::fs::is_regular_file(Path)) {
    L->Exists = true;
    L->Path = std::string(Path);
    auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
    if (!Buffer)
      return llvm::createStringError(Buffer.getError(),
                                     "cannot read '" + L->Path +
                                         "': " + Buffer.getError().message());
    std::string Diag;
    auto Parsed = clang::tidy::parseConfigurationWithDiags(
        (*Buffer)->getMemBufferRef(), [&](const llvm::SMDiagnostic &D) {
          if (Diag.empty())
            Diag = L->Path + ":" + std::to_string(D.getLineNo()) + ":" +
                   std::to_string(D.getColumnNo() + 1) + ": " +
                   D.getMessage().str();
        });
    if (!Parsed)
      return llvm::createStringError(
          Parsed.getError(),
          Diag.empty() ? "cannot parse '" + L->Path + "': " +
                             Parsed.getError().message()
                       : Diag);
    L->Options = std::move(*Parsed);
  }
  Levels[Dir] = L;
  return L;
}

void TidyConfigFinder::clear() {
  std::lock_guard<std::mutex> Lock(Mutex);
  Levels.clear();
  Configs.clear();
}

llvm::Expected<std::shared_ptr<const TidyConfig>>
TidyConfigFinder::forFile(llvm::StringRef File) {
  std::lock_guard<std::mutex> Lock(Mutex);
  std::string Dir = llvm::sys::path::parent_path(File).str();
  if (auto It = Configs.find(Dir); It != Configs.end())
    return It->second;

  // The nearest file, then its parents' while each says InheritParentConfig.
  std::vector<std::shared_ptr<const Level>> Chain;
  for (llvm::StringRef D = Dir; !D.empty(); D = llvm::sys::path::parent_path(D)) {
    auto L = levelFor(D);
    if (!L)
      return L.takeError();
    if (!(*L)->Exists)
      continue;
    Chain.push_back(*L);
    if (!(*L)->Options.InheritParentConfig.value_or(false))
      break;
  }

  auto Config = std::make_shared<TidyConfig>();
  // Farthest first: a nearer file's globs come later (and win), its option
  // values replace the parent's.
  struct Value {
    std::string Text;
    std::string Dir; ///< of the file that set it, for relative paths
  };
  llvm::StringMap<Value> Options;
  for (auto It = Chain.rbegin(); It != Chain.rend(); ++It) {
    const Level &L = **It;
    Config->Sources.push_back(L.Path);
    if (L.Options.Checks)
      Config->Checks = Config->Checks ? *Config->Checks + "," + *L.Options.Checks
                                      : *L.Options.Checks;
    for (const auto &KV : L.Options.CheckOptions)
      Options[KV.getKey()] = {KV.getValue().Value,
                              llvm::sys::path::parent_path(L.Path).str()};
  }

  CheckFilter Enabled(Config->checksFor(std::nullopt));
  for (const CheckInfo &C : allChecks()) {
    if (!Enabled.enabled(C.Id))
      continue;
    if (auto It = Options.find(std::string(C.Id) + ".Rules"); It != Options.end()) {
      llvm::SmallVector<llvm::StringRef, 4> Parts;
      llvm::StringRef(It->second.Text).split(Parts, ';', -1, false);
      for (llvm::StringRef P : Parts) {
        P = P.trim();
        if (P.empty())
          continue;
        llvm::SmallString<256> Abs(P);
        if (!llvm::sys::path::is_absolute(Abs)) {
          Abs = It->second.Dir;
          llvm::sys::path::append(Abs, P);
        }
        llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
        if (llvm::find(Config->RulesFiles, Abs.str()) == Config->RulesFiles.end())
          Config->RulesFiles.push_back(std::string(Abs));
      }
    }
    if (auto It = Options.find(std::string(C.Id) + ".IgnoreThreadSafetyAnnotations");
        It != Options.end()) {
      llvm::StringRef V = llvm::StringRef(It->second.Text).trim();
      if (V.equals_insensitive("true") || V == "1")
        Config->IgnoreAnnotations = true;
    }
  }
  Configs[Dir] = Config;
  return std::shared_ptr<const TidyConfig>(Config);
}

} // namespace concur
