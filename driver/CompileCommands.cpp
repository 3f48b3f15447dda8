//===- CompileCommands.cpp ------------------------------------------------===//

#include "driver/CompileCommands.h"
#include "llvm/Support/Path.h"

using namespace clang::tooling;

namespace concur {

const CompilationDatabase *
CompilationDatabaseFinder::forFile(const std::string &File) {
  std::string Dir = llvm::sys::path::parent_path(File).str();
  auto It = ByDir.find(Dir);
  if (It != ByDir.end())
    return It->second;
  std::string Error;
  std::unique_ptr<CompilationDatabase> DB =
      CompilationDatabase::autoDetectFromDirectory(Dir, Error);
  const CompilationDatabase *Found = nullptr;
  if (DB) {
    Owned.push_back(inferMissingCompileCommands(std::move(DB)));
    Found = Owned.back().get();
  }
  ByDir[Dir] = Found;
  return Found;
}

} // namespace concur
