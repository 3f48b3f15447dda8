//===- fuzz_lsp_transport.cpp - The LSP server's framing ------------------===//
//
// Any byte stream on the server's stdin is read as frames (bad headers
// skipped, wrong lengths resynchronised) until its end, and each body is
// parsed as the server parses it; never a crash or an endless loop.
//
//===----------------------------------------------------------------------===//

#include "checks/engine/JsonLineIndex.h"
#include "driver/lsp/Transport.h"
#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  if (Size == 0)
    return 0;
  std::FILE *In = fmemopen(const_cast<uint8_t *>(Data), Size, "r");
  static std::FILE *Out = std::fopen("/dev/null", "w");
  if (!In || !Out)
    return 0;
  concur::lsp::Transport Channel(In, Out);
  std::string Body, Problem;
  // Every frame consumes input, so this ends; the bound is a safety net.
  for (size_t Frames = 0; Frames <= Size; ++Frames) {
    auto Status = Channel.read(Body, Problem);
    if (Status == concur::lsp::Transport::ReadStatus::EndOfInput)
      break;
    if (Status == concur::lsp::Transport::ReadStatus::Message &&
        !concur::lineOfExcessiveNesting(Body)) {
      nlohmann::json Msg = nlohmann::json::parse(Body, nullptr,
                                                 /*allow_exceptions=*/false);
      if (!Msg.is_discarded() && Msg.is_object())
        Channel.send({{"jsonrpc", "2.0"}, {"id", nullptr}, {"result", Msg.size()}});
    }
  }
  std::fclose(In);
  return 0;
}
