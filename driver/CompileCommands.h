//===- CompileCommands.h - Where a file's compile command comes from -*- C++ -*-===//
#ifndef CONCUR_DRIVER_COMPILECOMMANDS_H
#define CONCUR_DRIVER_COMPILECOMMANDS_H

#include "clang/Tooling/CompilationDatabase.h"
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace concur {

/// Loads the compilation database of Dir as
/// CompilationDatabase::loadFromDirectory does (compile_commands.json, else
/// compile_flags.txt), with commands inferred for the files it does not
/// list. A compile_commands.json is checked first: a file that is not JSON
/// or not a list of entries is an error naming the file and the line; an
/// entry that cannot be compiled (its directory does not exist, its command
/// is empty or has an unbalanced quote) makes only its own file fail (see
/// problemWithCommand). Null with Error set when there is none or it is
/// unusable; Error stays empty when Dir simply has none.
std::unique_ptr<clang::tooling::CompilationDatabase>
loadCompilationDatabase(llvm::StringRef Dir, std::string &Error);

/// The same for the text of a compile_commands.json (named Name in errors).
std::unique_ptr<clang::tooling::CompilationDatabase>
parseCompileCommandsJson(llvm::StringRef Name, llvm::StringRef Text,
                         std::string &Error);

/// Why Command cannot be run, if it cannot: its entry in the compilation
/// database was bad, or its directory does not exist (clang's tooling would
/// end the process on it).
std::optional<std::string>
problemWithCommand(const clang::tooling::CompileCommand &Command);

/// Finds a file's compilation database as clangd does: the nearest
/// compile_commands.json or compile_flags.txt in its directory or a parent,
/// or in the build/ subdirectory of one.
/// Files the database does not list (headers) get a command inferred from
/// a neighbour. Cached by directory; not thread-safe.
class CompilationDatabaseFinder {
public:
  /// Null when no directory up to the root has one, or when the nearest is
  /// unusable (then Error, when given, says why, naming the file).
  const clang::tooling::CompilationDatabase *forFile(const std::string &File,
                                                     std::string *Error = nullptr);
  /// The directory the database of File was found in (empty: none).
  std::string directoryFor(const std::string &File);

private:
  struct Found {
    const clang::tooling::CompilationDatabase *DB = nullptr;
    std::string Dir;
    std::string Error;
  };
  std::map<std::string, Found> ByDir;
  std::vector<std::unique_ptr<clang::tooling::CompilationDatabase>> Owned;
};

} // namespace concur

#endif
