//===- Diagnostics.h - Findings as LSP diagnostics -------------*- C++ -*-===//
#ifndef CONCUR_DRIVER_LSP_DIAGNOSTICS_H
#define CONCUR_DRIVER_LSP_DIAGNOSTICS_H

#include "driver/ResolvedFinding.h"
#include "driver/lsp/TextDocument.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <nlohmann/json.hpp>

namespace concur::lsp {

/// What the client said it can show (initialize's
/// textDocument.publishDiagnostics capabilities) and the position encoding.
struct DiagnosticCapabilities {
  bool RelatedInformation = false;
  bool CodeDescription = false;
  bool Version = false;
  PositionEncoding Encoding = PositionEncoding::UTF16;
};

/// The LSP range of a resolved location: its token, on its line.
nlohmann::json rangeOf(const ResolvedLocation &L, PositionEncoding Enc);

/// One Diagnostic: the primary range, severity warning, source "concur", the
/// check id as code with its docs page, and the evidence (notes, then the
/// call chain) as relatedInformation, or appended to the message for
/// clients that cannot show related information. UriOf names a file as the
/// editor does (the URI it opened it under).
nlohmann::json
toDiagnostic(const ResolvedFinding &F, const DiagnosticCapabilities &Caps,
             llvm::function_ref<std::string(const std::string &)> UriOf);

} // namespace concur::lsp

#endif
