//===- FileSettings.h - The checks and models for one file ------*- C++ -*-===//
//
// What the driver and the language server analyse a file with: the command
// line's settings over the .clang-tidy files above it (TidyConfig.h). Files
// under the same configuration share one set of loaded models.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_CONFIG_FILESETTINGS_H
#define CONCUR_DRIVER_CONFIG_FILESETTINGS_H

#include "checks/engine/ApiModels.h"
#include "checks/CheckRegistry.h"
#include "driver/config/TidyConfig.h"
#include <map>

namespace concur {

struct FileSettings {
  CheckFilter Checks;
  std::shared_ptr<const ApiModels> Models;
  bool UseThreadSafetyAnnotations = true;
  /// The checks, the rules files (with their contents' hashes) and the
  /// annotation setting: what facts computed with these settings depend on.
  std::string Key;
  /// The .clang-tidy files these settings come from (empty: none).
  std::vector<std::string> Sources;
  /// Whether any concur check runs at all.
  bool enablesAny() const;
};

/// The command line's settings, which override the files': `--checks` only
/// when given; `--rules` add to the files' rules; an ignore flag wins.
struct CommandLineSettings {
  std::optional<std::string> Checks;
  std::vector<std::string> RulesFiles;
  bool IgnoreAnnotations = false;
  /// Read no .clang-tidy file (the settings are the command line's).
  bool NoConfigFiles = false;
};

class SettingsResolver {
public:
  explicit SettingsResolver(CommandLineSettings CommandLine)
      : CommandLine(std::move(CommandLine)) {}
  /// The settings for File (absolute); an unreadable or malformed
  /// .clang-tidy, or a rules file it names that does not load, is an error
  /// naming that file.
  llvm::Expected<std::shared_ptr<const FileSettings>> forFile(llvm::StringRef File);
  /// Reads the .clang-tidy files again from the next forFile on.
  void rereadConfigFiles() { Finder.clear(); }
  /// The models the project's other translation units inferred (a rules
  /// text, ProjectModels::rulesText), under every file's rules from the
  /// next forFile on.
  void setProjectModels(std::string Name, std::string Text) {
    std::lock_guard<std::mutex> Lock(Mutex);
    ProjectModelsName = std::move(Name);
    ProjectModelsText = std::move(Text);
    ModelsByRules.clear();
  }
  const CommandLineSettings &commandLine() const { return CommandLine; }

private:
  CommandLineSettings CommandLine;
  TidyConfigFinder Finder;
  std::mutex Mutex;
  /// Loaded once per distinct list of rules files (and their contents).
  std::map<std::string, std::shared_ptr<const ApiModels>> ModelsByRules;
  std::string ProjectModelsName, ProjectModelsText;
};

} // namespace concur

#endif
