//===- TidyConfig.h - concur's settings from .clang-tidy files --*- C++ -*-===//
//
// Teams keep their clang-tidy configuration in .clang-tidy files; the
// plugin reads them through clang-tidy, and the driver and the language
// server read the same files the same way, so that the three front ends
// agree without flags: the nearest .clang-tidy above a file, merged with its
// parents' while it says InheritParentConfig, its `Checks` globs (appended
// to the parent's, the last matching glob decides) and the `Rules` and
// `IgnoreThreadSafetyAnnotations` options of the concur checks it enables.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_CONFIG_TIDYCONFIG_H
#define CONCUR_DRIVER_CONFIG_TIDYCONFIG_H

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace concur {

/// What the .clang-tidy files above one file say to concur.
struct TidyConfig {
  /// The .clang-tidy files read, nearest last; empty when there is none.
  std::vector<std::string> Sources;
  /// The merged `Checks` globs (clang-tidy's syntax); nullopt when no file
  /// sets them.
  std::optional<std::string> Checks;
  /// The rules files the enabled concur checks' `Rules` options name
  /// (';'-separated in each), absolute: a relative path is relative to the
  /// .clang-tidy that sets it. Their union: the engine runs every check at
  /// once, with one set of models.
  std::vector<std::string> RulesFiles;
  /// Some enabled concur check's IgnoreThreadSafetyAnnotations is true.
  bool IgnoreAnnotations = false;
  /// The checks to run, given the command line's `--checks` (which, when
  /// given, overrides the files) and concur's default `concur-*`.
  std::string checksFor(const std::optional<std::string> &CommandLine) const;
};

/// Finds and reads .clang-tidy files, each directory once. Thread-safe.
class TidyConfigFinder {
public:
  /// The configuration for File (absolute path). A .clang-tidy that cannot
  /// be read or parsed is an error that names it (and the line).
  llvm::Expected<std::shared_ptr<const TidyConfig>> forFile(llvm::StringRef File);
  /// Forgets what was read: the next forFile reads the files again (the
  /// language server, whose user may edit a .clang-tidy meanwhile).
  void clear();

private:
  struct Level; // one directory's file, parsed
  llvm::Expected<std::shared_ptr<const Level>> levelFor(llvm::StringRef Dir);
  std::mutex Mutex;
  llvm::StringMap<std::shared_ptr<const Level>> Levels; // by directory
  llvm::StringMap<std::shared_ptr<const TidyConfig>> Configs; // by directory
};

} // namespace concur

#endif
