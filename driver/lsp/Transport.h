//===- Transport.h - LSP base protocol over a pair of streams -*- C++ -*-===//
//
// The base protocol frames each JSON-RPC message as
//   Content-Length: N\r\n [other headers\r\n] \r\n <N bytes of UTF-8 JSON>
// stdout carries protocol only: everything else goes to stderr.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_LSP_TRANSPORT_H
#define CONCUR_DRIVER_LSP_TRANSPORT_H

#include "llvm/ADT/StringRef.h"
#include <nlohmann/json.hpp>
#include <cstdio>
#include <mutex>
#include <string>

namespace concur::lsp {

class Transport {
public:
  Transport(std::FILE *In, std::FILE *Out) : In(In), Out(Out) {}

  enum class ReadStatus {
    Message,    ///< Body holds one message's bytes (not yet parsed)
    EndOfInput, ///< the client closed the stream
    BadHeader,  ///< a header block without a usable Content-Length; skipped
  };
  /// Blocks until one message has been read. Only one thread reads.
  ReadStatus read(std::string &Body, std::string &Problem);

  /// Writes one message; callable from any thread. Once a write fails
  /// (the client closed the server's output, as lsp-mode does when its
  /// shutdown request times out), later messages are dropped.
  void send(const nlohmann::json &Message);

private:
  int nextChar();
  bool readLine(std::string &Line);
  size_t readBytes(char *Out, size_t N);
  /// Reads a body of Length bytes into Body; false at the end of input.
  bool readBody(std::string &Body, size_t Length);
  /// Puts Bytes back in front of what is still to be read.
  void unread(llvm::StringRef Bytes);

  std::FILE *In;
  /// Bytes read too early (inside a frame whose length was wrong), to be
  /// read again; Pushback[Unread...] is still unread.
  std::string Pushback;
  size_t Unread = 0;
  std::FILE *Out;
  std::mutex WriteMutex;
  bool OutputClosed = false; ///< a write failed; guarded by WriteMutex
};

} // namespace concur::lsp

#endif
