//===- fuzz_rules.cpp - The rules-file reader under libFuzzer -------------===//
//
// Any text given as a rules file (--rules, the plugin's Rules option) is
// accepted or refused with an error; never a crash, a hang or a leak.
//
//===----------------------------------------------------------------------===//

#include "checks/engine/ApiModels.h"
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  concur::ApiModels Models;
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  if (llvm::Error E = Models.addRulesText("fuzz.json", Text)) {
    llvm::consumeError(std::move(E));
    return 0;
  }
  (void)Models.lookupTypeName("std::mutex");
  (void)Models.lookupFunctionName("usleep");
  return 0;
}
