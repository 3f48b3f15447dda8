//===- CodeActions.cpp ----------------------------------------------------===//

#include "driver/lsp/CodeActions.h"
#include "llvm/ADT/StringExtras.h"

namespace concur::lsp {

using json = nlohmann::json;

namespace {

json position(uint64_t Line, uint64_t Character) {
  return {{"line", Line}, {"character", Character}};
}

json insertion(uint64_t Line, uint64_t Character, std::string Text) {
  json At = position(Line, Character);
  return {{"range", {{"start", At}, {"end", At}}}, {"newText", std::move(Text)}};
}

json quickFix(std::string Title, const json &Diagnostic, const std::string &Uri,
              json Edit) {
  return {{"title", std::move(Title)},
          {"kind", "quickfix"},
          {"diagnostics", json::array({Diagnostic})},
          {"edit", {{"changes", {{Uri, json::array({std::move(Edit)})}}}}}};
}

/// The text of 0-based line Line, without its line break; nullopt past the
/// end.
std::optional<llvm::StringRef> lineOf(llvm::StringRef Text, uint64_t Line) {
  for (uint64_t I = 0; I < Line; ++I) {
    size_t Break = Text.find('\n');
    if (Break == llvm::StringRef::npos)
      return std::nullopt;
    Text = Text.drop_front(Break + 1);
  }
  return Text.take_until([](char C) { return C == '\n'; });
}

/// Where a check id can join the NOLINT(...) list already on the line: the
/// offset of the list's ')'; npos when the line has no such list.
size_t existingNolintList(llvm::StringRef Line) {
  for (size_t Pos = Line.find("NOLINT("); Pos != llvm::StringRef::npos;
       Pos = Line.find("NOLINT(", Pos + 1))
    if (size_t Close = Line.find(')', Pos); Close != llvm::StringRef::npos)
      return Close;
  return llvm::StringRef::npos;
}

} // namespace

json fixItActions(const json &Diagnostic) {
  json Actions = json::array();
  if (!Diagnostic.is_object() || Diagnostic.value("source", "") != "concur" ||
      !Diagnostic.contains("code") || !Diagnostic["code"].is_string() ||
      !Diagnostic.contains("data") || !Diagnostic["data"].is_object())
    return Actions;
  const json &Data = Diagnostic["data"];
  if (!Data.contains("fixes") || !Data["fixes"].is_array() || Data["fixes"].empty())
    return Actions;
  // What comes back is the client's copy: take only well-formed edits.
  json Changes = json::object();
  auto IsPosition = [](const json &P) {
    return P.is_object() && P.contains("line") && P["line"].is_number_unsigned() &&
           P.contains("character") && P["character"].is_number_unsigned();
  };
  for (const json &Fix : Data["fixes"]) {
    if (!Fix.is_object() || !Fix.contains("uri") || !Fix["uri"].is_string() ||
        !Fix.contains("newText") || !Fix["newText"].is_string() ||
        !Fix.contains("range") || !Fix["range"].is_object() ||
        !IsPosition(Fix["range"].value("start", json())) ||
        !IsPosition(Fix["range"].value("end", json())))
      return json::array();
    json &Edits = Changes[Fix["uri"].get<std::string>()];
    if (Edits.is_null())
      Edits = json::array();
    Edits.push_back({{"range", Fix["range"]}, {"newText", Fix["newText"]}});
  }
  Actions.push_back({{"title", "Apply concur's fix for " +
                                   Diagnostic["code"].get<std::string>()},
                     {"kind", "quickfix"},
                     {"isPreferred", true},
                     {"diagnostics", json::array({Diagnostic})},
                     {"edit", {{"changes", std::move(Changes)}}}});
  return Actions;
}

json suppressionActions(const json &Diagnostic, const std::string &Uri,
                        llvm::StringRef Text, PositionEncoding Enc) {
  json Actions = json::array();
  if (!Diagnostic.is_object() || Diagnostic.value("source", "") != "concur" ||
      !Diagnostic.contains("code") || !Diagnostic["code"].is_string())
    return Actions;
  const json *Start = nullptr;
  if (Diagnostic.contains("range") && Diagnostic["range"].is_object() &&
      Diagnostic["range"].contains("start"))
    Start = &Diagnostic["range"]["start"];
  if (!Start || !Start->is_object() || !Start->contains("line") ||
      !(*Start)["line"].is_number_unsigned())
    return Actions;
  std::string Check = Diagnostic["code"];
  // A check id is [a-z0-9-]: anything else would not be read back.
  if (Check.empty() || !llvm::all_of(Check, [](char C) {
        return llvm::isAlnum(C) || C == '-' || C == '_';
      }))
    return Actions;
  uint64_t LineNo = (*Start)["line"].get<uint64_t>();
  std::optional<llvm::StringRef> Line = lineOf(Text, LineNo);
  if (!Line)
    return Actions;
  bool CRLF = Line->ends_with("\r");
  llvm::StringRef Body = CRLF ? Line->drop_back() : *Line;
  // A comment on a macro's continued line ends the macro there: offer
  // nothing rather than break the code.
  if (Body.rtrim().ends_with("\\"))
    return Actions;
  if (LineNo > 0) {
    std::optional<llvm::StringRef> Above = lineOf(Text, LineNo - 1);
    if (Above && Above->rtrim().ends_with("\\"))
      return Actions;
  }

  // On the line itself: join an existing NOLINT(...) list, or append one.
  if (size_t Close = existingNolintList(Body); Close != llvm::StringRef::npos)
    Actions.push_back(quickFix(
        "Suppress " + Check + " on this line (NOLINT)", Diagnostic, Uri,
        insertion(LineNo, characterOf(Body, Close, Enc), ", " + Check)));
  else
    Actions.push_back(quickFix(
        "Suppress " + Check + " on this line (NOLINT)", Diagnostic, Uri,
        insertion(LineNo, characterOf(Body, Body.rtrim().size(), Enc),
                  "  // NOLINT(" + Check + ")")));

  // On a line of its own above, indented as the finding's line.
  llvm::StringRef Indent = Body.take_while([](char C) { return C == ' ' || C == '\t'; });
  Actions.push_back(quickFix(
      "Suppress " + Check + " on the next line (NOLINTNEXTLINE)", Diagnostic,
      Uri,
      insertion(LineNo, 0,
                Indent.str() + "// NOLINTNEXTLINE(" + Check + ")" +
                    (CRLF ? "\r\n" : "\n"))));
  return Actions;
}

} // namespace concur::lsp
