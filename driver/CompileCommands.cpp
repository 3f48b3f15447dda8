//===- CompileCommands.cpp ------------------------------------------------===//

#include "driver/CompileCommands.h"
#include "llvm/Support/Path.h"

using namespace clang::tooling;

namespace concur {

const CompilationDatabase *
CompilationDatabaseFinder::forFile(const std::string &File) {
  // As clangd: the file's directory and each parent, and the build/
  // subdirectory of each (where CMake projects usually export theirs).
  std::vector<std::string> Visited;
  const CompilationDatabase *Found = nullptr;
  for (llvm::StringRef Dir = llvm::sys::path::parent_path(File); !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir)) {
    auto Cached = ByDir.find(Dir.str());
    if (Cached != ByDir.end()) {
      Found = Cached->second;
      break;
    }
    Visited.push_back(Dir.str());
    llvm::SmallString<256> Build(Dir);
    llvm::sys::path::append(Build, "build");
    std::string Error;
    std::unique_ptr<CompilationDatabase> DB =
        CompilationDatabase::loadFromDirectory(Dir, Error);
    if (!DB)
      DB = CompilationDatabase::loadFromDirectory(Build, Error);
    if (DB) {
      Owned.push_back(inferMissingCompileCommands(std::move(DB)));
      Found = Owned.back().get();
      break;
    }
  }
  for (const std::string &Dir : Visited)
    ByDir[Dir] = Found;
  return Found;
}

} // namespace concur
