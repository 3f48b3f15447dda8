//===- CompileCommands.h - Where a file's compile command comes from -*- C++ -*-===//
#ifndef CONCUR_DRIVER_COMPILECOMMANDS_H
#define CONCUR_DRIVER_COMPILECOMMANDS_H

#include "clang/Tooling/CompilationDatabase.h"
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace concur {

/// Finds a file's compilation database as clangd does: the nearest
/// compile_commands.json or compile_flags.txt in its directory or a parent,
/// or in the build/ subdirectory of one.
/// Files the database does not list (headers) get a command inferred from
/// a neighbour. Cached by directory; not thread-safe.
class CompilationDatabaseFinder {
public:
  /// Null when no directory up to the root has one.
  const clang::tooling::CompilationDatabase *forFile(const std::string &File);

private:
  std::map<std::string, const clang::tooling::CompilationDatabase *> ByDir;
  std::vector<std::unique_ptr<clang::tooling::CompilationDatabase>> Owned;
};

} // namespace concur

#endif
