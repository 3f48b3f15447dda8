//===- TextDocument.cpp ---------------------------------------------------===//

#include "driver/lsp/TextDocument.h"
#include "driver/ResolvedFinding.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

namespace concur::lsp {

/// Bytes of the UTF-8 sequence starting with Lead (1 for stray bytes, so
/// that invalid UTF-8 still advances).
static unsigned sequenceLength(unsigned char Lead) {
  if (Lead >= 0xF0)
    return 4;
  if (Lead >= 0xE0)
    return 3;
  if (Lead >= 0xC0)
    return 2;
  return 1;
}

size_t offsetOf(llvm::StringRef Text, uint64_t Line, uint64_t Character,
                PositionEncoding Enc) {
  size_t Start = 0;
  for (uint64_t L = 0; L < Line; ++L) {
    size_t NL = Text.find('\n', Start);
    if (NL == llvm::StringRef::npos)
      return Text.size();
    Start = NL + 1;
  }
  size_t End = Text.find('\n', Start);
  if (End == llvm::StringRef::npos)
    End = Text.size();
  size_t Offset = Start;
  uint64_t Units = 0;
  while (Offset < End && Units < Character) {
    unsigned Len = sequenceLength(Text[Offset]);
    if (Enc == PositionEncoding::UTF8) {
      ++Units;
      ++Offset;
      continue;
    }
    Units += Len == 4 ? 2 : 1; // astral characters are surrogate pairs
    Offset = std::min(Offset + Len, End);
  }
  return Offset;
}

unsigned characterOf(llvm::StringRef LineText, unsigned ByteColumn,
                     PositionEncoding Enc) {
  if (Enc == PositionEncoding::UTF8)
    return ByteColumn;
  return utf16Column(LineText, ByteColumn + 1) - 1; // both 1-based there
}

llvm::Error applyChange(std::string &Text, const nlohmann::json &Change,
                        PositionEncoding Enc) {
  if (!Change.is_object() || !Change.contains("text") ||
      !Change["text"].is_string())
    return llvm::createStringError("a content change needs a 'text' string");
  const std::string &NewText = Change["text"].get_ref<const std::string &>();
  if (!Change.contains("range")) {
    Text = NewText;
    return llvm::Error::success();
  }
  const nlohmann::json &R = Change["range"];
  auto Pos = [&](const char *Which) -> std::optional<size_t> {
    if (!R.is_object() || !R.contains(Which))
      return std::nullopt;
    const nlohmann::json &P = R[Which];
    if (!P.is_object() || !P.contains("line") || !P.contains("character") ||
        !P["line"].is_number_unsigned() || !P["character"].is_number_unsigned())
      return std::nullopt;
    return offsetOf(Text, P["line"].get<uint64_t>(),
                    P["character"].get<uint64_t>(), Enc);
  };
  std::optional<size_t> Start = Pos("start"), End = Pos("end");
  if (!Start || !End || *End < *Start)
    return llvm::createStringError("a content change has an invalid range");
  Text.replace(*Start, *End - *Start, NewText);
  return llvm::Error::success();
}

std::optional<std::string> pathFromUri(llvm::StringRef Uri) {
  if (!Uri.consume_front("file://"))
    return std::nullopt;
  // file://host/path: only the local host is ours.
  if (!Uri.starts_with("/")) {
    auto [Host, Rest] = Uri.split('/');
    if (!Host.equals_insensitive("localhost"))
      return std::nullopt;
    Uri = Uri.drop_front(Host.size());
  }
  std::string Path;
  for (size_t I = 0; I < Uri.size(); ++I) {
    if (Uri[I] == '%' && I + 2 < Uri.size() && llvm::isHexDigit(Uri[I + 1]) &&
        llvm::isHexDigit(Uri[I + 2])) {
      Path.push_back(char(llvm::hexDigitValue(Uri[I + 1]) * 16 +
                          llvm::hexDigitValue(Uri[I + 2])));
      I += 2;
    } else {
      Path.push_back(Uri[I]);
    }
  }
  return Path;
}

std::string uriFromPath(llvm::StringRef Path) {
  return "file://" + percentEncodePath(Path);
}

} // namespace concur::lsp
