//===- CodeActions.h - Quick fixes the server offers ------------*- C++ -*-===//
//
// textDocument/codeAction: for each concur diagnostic the client sends back,
// its fix-it when it has one, and the actions that suppress it where it is, as NOLINT comments that every
// front end honours (driver/Nolint.h): on the finding's line, or on a line
// of its own above it.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_LSP_CODEACTIONS_H
#define CONCUR_DRIVER_LSP_CODEACTIONS_H

#include "driver/lsp/TextDocument.h"
#include <nlohmann/json.hpp>

namespace concur::lsp {

/// The fix-it of one diagnostic, as one preferred quick fix, when the
/// server put it in the diagnostic's `data` (see Diagnostics.h) and the
/// client handed it back; an empty array otherwise.
nlohmann::json fixItActions(const nlohmann::json &Diagnostic);

/// The quick fixes for one diagnostic of the document at Uri whose text is
/// Text: an array of CodeAction objects (possibly empty: a diagnostic that
/// is not concur's, or on a line where a comment would change the code,
/// such as a macro's continued line).
nlohmann::json suppressionActions(const nlohmann::json &Diagnostic,
                                  const std::string &Uri,
                                  llvm::StringRef Text, PositionEncoding Enc);

} // namespace concur::lsp

#endif
