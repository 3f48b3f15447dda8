//===- Diagnostics.cpp ----------------------------------------------------===//

#include "driver/lsp/Diagnostics.h"
#include "checks/CheckRegistry.h"
#include "llvm/Support/Path.h"

using nlohmann::json;

namespace concur::lsp {

json rangeOf(const ResolvedLocation &L, PositionEncoding Enc) {
  unsigned Line = L.Line ? L.Line - 1 : 0;
  unsigned Start = characterOf(L.LineText, L.Column ? L.Column - 1 : 0, Enc);
  unsigned End = characterOf(L.LineText,
                             L.EndColumn > L.Column ? L.EndColumn - 1 : L.Column,
                             Enc);
  return {{"start", {{"line", Line}, {"character", Start}}},
          {"end", {{"line", Line}, {"character", std::max(End, Start)}}}};
}

/// LSP's DiagnosticSeverity for a SARIF level: Error 1, Warning 2,
/// Information 3.
static int lspSeverity(llvm::StringRef Level) {
  return Level == "error" ? 1 : Level == "note" ? 3 : 2;
}

json toDiagnostic(const ResolvedFinding &F, const DiagnosticCapabilities &Caps,
                  llvm::function_ref<std::string(const std::string &)> UriOf) {
  json D = {{"range", rangeOf(F.Loc, Caps.Encoding)},
            {"severity", lspSeverity(F.Level)},
            {"source", "concur"},
            {"code", F.CheckId}};
  if (const CheckInfo *C = findCheck(F.CheckId); C && Caps.CodeDescription)
    D["codeDescription"] = {{"href", checkHelpUri(*C)}};

  std::string Message = F.Message;
  json Related = json::array();
  for (const auto *Notes : {&F.Notes, &F.CallChain})
    for (const ResolvedNote &N : *Notes) {
      if (!N.Loc.valid())
        continue;
      if (Caps.RelatedInformation) {
        Related.push_back(
            {{"location",
              {{"uri", UriOf(N.Loc.File)},
               {"range", rangeOf(N.Loc, Caps.Encoding)}}},
             {"message", N.Message}});
      } else {
        // As clangd does for such clients: the evidence in the text.
        Message += "\n\n" + llvm::sys::path::filename(N.Loc.File).str() + ":" +
                   std::to_string(N.Loc.Line) + ":" +
                   std::to_string(N.Loc.Column) + ": " + N.Message;
      }
    }
  D["message"] = Message;
  if (!Related.empty())
    D["relatedInformation"] = std::move(Related);
  // The fix-its ride in `data`, which the client hands back with
  // textDocument/codeAction (CodeActions.h): the server keeps no state.
  json Fixes = json::array();
  for (const ResolvedNote &Fix : F.Fixes)
    Fixes.push_back({{"uri", UriOf(Fix.Loc.File)},
                     {"range", rangeOf(Fix.Loc, Caps.Encoding)},
                     {"newText", Fix.Message}});
  if (!Fixes.empty())
    D["data"] = {{"fixes", std::move(Fixes)}};
  return D;
}

} // namespace concur::lsp
