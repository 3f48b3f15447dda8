//===- fuzz_facts.cpp - Facts files as the link and a re-run read them ----===//
//
// A facts directory is shared between runs, shards and machines: a file in
// it may be truncated, of another build, or hostile. Whatever its bytes,
// reading it gives facts or an error, never a crash, a hang or a huge
// allocation.
//
//===----------------------------------------------------------------------===//

#include "driver/facts/FactsStore.h"
#include <cstdint>

using namespace concur;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  auto Facts = parseFacts(llvm::ArrayRef<uint8_t>(Data, Size), "/src");
  if (!Facts) {
    llvm::consumeError(Facts.takeError());
    return 0;
  }
  // What was accepted writes and reads back.
  auto Again = normalisedFacts(*Facts, "/src");
  if (!Again)
    llvm::consumeError(Again.takeError());
  return 0;
}
