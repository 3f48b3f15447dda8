//===- TextDocument.h - Open documents, positions and URIs -*- C++ -*-===//
//
// LSP positions are 0-based lines and characters counted in the encoding
// agreed at initialize (UTF-16 code units unless the client offers UTF-8);
// clang's columns are 1-based bytes. These helpers convert between them and
// apply the edits of textDocument/didChange.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_LSP_TEXTDOCUMENT_H
#define CONCUR_DRIVER_LSP_TEXTDOCUMENT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <nlohmann/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace concur::lsp {

enum class PositionEncoding { UTF16, UTF8 };

/// The byte offset of (Line, Character) in Text. A character past the end
/// of its line means the line's end, a line past the end the text's end (the
/// specification's rule for out-of-range positions).
size_t offsetOf(llvm::StringRef Text, uint64_t Line, uint64_t Character,
                PositionEncoding Enc);

/// The LSP character of a 0-based byte column of LineText.
unsigned characterOf(llvm::StringRef LineText, unsigned ByteColumn,
                     PositionEncoding Enc);

/// Applies one TextDocumentContentChangeEvent: with a range, replaces it;
/// without, the whole text.
llvm::Error applyChange(std::string &Text, const nlohmann::json &Change,
                        PositionEncoding Enc);

/// file:///a%20b/c.cpp -> /a b/c.cpp; nullopt for other schemes.
std::optional<std::string> pathFromUri(llvm::StringRef Uri);
std::string uriFromPath(llvm::StringRef Path);

} // namespace concur::lsp

#endif
