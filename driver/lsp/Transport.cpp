//===- Transport.cpp ------------------------------------------------------===//

#include "driver/lsp/Transport.h"
#include "llvm/ADT/StringRef.h"

namespace concur::lsp {

// A client that sends more than this in one message is broken; refusing it
// is better than trying to allocate whatever its header claims.
static constexpr unsigned long long MaxMessageBytes = 1ull << 30;

bool Transport::readLine(std::string &Line) {
  Line.clear();
  int C;
  while ((C = std::fgetc(In)) != EOF) {
    if (C == '\n') {
      if (!Line.empty() && Line.back() == '\r')
        Line.pop_back();
      return true;
    }
    Line.push_back(char(C));
  }
  return !Line.empty();
}

Transport::ReadStatus Transport::read(std::string &Body, std::string &Problem) {
  std::string Line;
  // Skip blank lines between messages (some clients send a trailing CRLF).
  do {
    if (!readLine(Line))
      return ReadStatus::EndOfInput;
  } while (Line.empty());

  bool HaveLength = false, LengthOK = false;
  unsigned long long Length = 0;
  // Headers run up to an empty line; Content-Type is optional and ignored.
  // A previous frame whose Content-Length was too short leaves the rest of
  // its body in front of the next header: matching the header name at the
  // end of the text before ':' finds the next frame again.
  do {
    auto [Name, Value] = llvm::StringRef(Line).split(':');
    if (Name.trim().ends_with_insensitive("Content-Length")) {
      HaveLength = true;
      LengthOK = !Value.trim().getAsInteger(10, Length) &&
                 Length <= MaxMessageBytes;
    }
    if (!readLine(Line))
      return ReadStatus::EndOfInput;
  } while (!Line.empty());
  if (!HaveLength || !LengthOK) {
    Problem = HaveLength ? "invalid Content-Length header"
                         : "message without a Content-Length header";
    return ReadStatus::BadHeader;
  }
  Body.resize(Length);
  size_t Got = Length ? std::fread(Body.data(), 1, Length, In) : 0;
  if (Got != Length)
    return ReadStatus::EndOfInput;
  return ReadStatus::Message;
}

void Transport::send(const nlohmann::json &Message) {
  // Invalid UTF-8 in a file's text must not make dump() throw.
  std::string Body =
      Message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard<std::mutex> Lock(WriteMutex);
  std::fprintf(Out, "Content-Length: %zu\r\n\r\n", Body.size());
  std::fwrite(Body.data(), 1, Body.size(), Out);
  std::fflush(Out);
}

} // namespace concur::lsp
