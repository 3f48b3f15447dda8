//===- Transport.cpp ------------------------------------------------------===//

#include "driver/lsp/Transport.h"
#include "llvm/ADT/StringRef.h"
#include <algorithm>

namespace concur::lsp {

// A client that sends more than this in one message is broken; refusing it
// is better than trying to allocate whatever its header claims.
static constexpr unsigned long long MaxMessageBytes = 1ull << 30;

static constexpr llvm::StringLiteral LengthHeader = "content-length";

int Transport::nextChar() {
  if (Unread < Pushback.size())
    return static_cast<unsigned char>(Pushback[Unread++]);
  if (!Pushback.empty()) {
    Pushback.clear();
    Unread = 0;
  }
  return std::fgetc(In);
}

bool Transport::readLine(std::string &Line) {
  Line.clear();
  int C;
  while ((C = nextChar()) != EOF) {
    if (C == '\n') {
      if (!Line.empty() && Line.back() == '\r')
        Line.pop_back();
      return true;
    }
    Line.push_back(char(C));
  }
  return !Line.empty();
}

size_t Transport::readBytes(char *Out, size_t N) {
  size_t Got = std::min(N, Pushback.size() - Unread);
  std::copy_n(Pushback.data() + Unread, Got, Out);
  Unread += Got;
  if (Got < N)
    Got += std::fread(Out + Got, 1, N - Got, In);
  return Got;
}

bool Transport::readBody(std::string &Body, size_t Length) {
  // The header is the client's word, not its bytes: the body grows as they
  // arrive, so a length that claims a gigabyte and sends a few bytes costs a
  // few bytes, not a gigabyte allocated and zeroed up front.
  static constexpr size_t ChunkBytes = 64 * 1024;
  Body.clear();
  while (Body.size() < Length) {
    size_t Have = Body.size();
    size_t Want = std::min(ChunkBytes, Length - Have);
    Body.resize(Have + Want);
    size_t Got = readBytes(Body.data() + Have, Want);
    Body.resize(Have + Got);
    if (Got != Want)
      return false;
  }
  return true;
}

/// Where a Content-Length header starts in Text, whatever precedes it on
/// its line (the tail of a body whose length was given too short).
static size_t findLengthHeader(llvm::StringRef Text) {
  return Text.find_insensitive(LengthHeader);
}

/// Where the body ends with the start of a Content-Length header cut by
/// the body's end (a length too long by a few bytes).
static size_t partialLengthHeaderAtEnd(llvm::StringRef Body) {
  for (size_t K = std::min(Body.size(), LengthHeader.size() - 1); K > 0; --K)
    if (Body.take_back(K).equals_insensitive(LengthHeader.take_front(K)))
      return Body.size() - K;
  return llvm::StringRef::npos;
}

void Transport::unread(llvm::StringRef Bytes) {
  std::string Rest = Bytes.str();
  Rest.append(Pushback, Unread, std::string::npos);
  Pushback = std::move(Rest);
  Unread = 0;
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
  // its body in front of the next header: the header is looked for
  // anywhere in the line, not only at its start.
  do {
    size_t At = findLengthHeader(Line);
    if (At != llvm::StringRef::npos) {
      llvm::StringRef Value =
          llvm::StringRef(Line).drop_front(At + LengthHeader.size()).ltrim();
      HaveLength = true;
      LengthOK = Value.consume_front(":") &&
                 !Value.trim().getAsInteger(10, Length) &&
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
  if (!readBody(Body, Length))
    return ReadStatus::EndOfInput;
  // A Content-Length too long swallows the start of the next frame: when
  // the body is no JSON and holds a header, the header and what follows it
  // are read again as the next frame.
  size_t Next = findLengthHeader(Body);
  if (Next == llvm::StringRef::npos)
    Next = partialLengthHeaderAtEnd(Body);
  if (Next != llvm::StringRef::npos && Next > 0 &&
      !nlohmann::json::accept(Body)) {
    unread(llvm::StringRef(Body).drop_front(Next));
    Body.resize(Next);
  }
  return ReadStatus::Message;
}

void Transport::send(const nlohmann::json &Message) {
  // Invalid UTF-8 in a file's text must not make dump() throw.
  std::string Body =
      Message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard<std::mutex> Lock(WriteMutex);
  if (OutputClosed)
    return;
  std::fprintf(Out, "Content-Length: %zu\r\n\r\n", Body.size());
  std::fwrite(Body.data(), 1, Body.size(), Out);
  if (std::fflush(Out) != 0 || std::ferror(Out))
    OutputClosed = true;
}

} // namespace concur::lsp
