//===- fuzz_compile_db.cpp - Loading a compile_commands.json --------------===//
//
// Any text as a compile_commands.json: refused with an error naming the
// file, or loaded, with every file's command (or what is wrong with its
// entry) available; never a crash.
//
//===----------------------------------------------------------------------===//

#include "driver/CompileCommands.h"
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  std::string Error;
  std::unique_ptr<clang::tooling::CompilationDatabase> DB =
      concur::parseCompileCommandsJson("/fuzz/compile_commands.json", Text,
                                       Error);
  if (!DB)
    return 0;
  std::vector<std::string> Files = DB->getAllFiles();
  Files.push_back("/fuzz/unlisted.h"); // a command inferred from a neighbour
  for (const std::string &F : Files)
    for (const clang::tooling::CompileCommand &C : DB->getCompileCommands(F))
      (void)concur::problemWithCommand(C);
  return 0;
}
