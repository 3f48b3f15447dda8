//===- SarifWriter.cpp ----------------------------------------------------===//
//
// One run, one tool (concur), every check as a rule. Locations below the
// source root are %SRCROOT%-relative, so the log means the same on every
// checkout; columns are UTF-16 code units, as code scanning and LSP expect.
//
//===----------------------------------------------------------------------===//

#include "driver/SarifWriter.h"
#include "checks/CheckRegistry.h"
#include "checks/engine/Version.h"
#include "driver/Baseline.h"
#include "driver/CheckDocs.h"
#include "driver/Fingerprint.h"
#include "driver/OutputFile.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <map>
#include <nlohmann/json.hpp>

using json = nlohmann::ordered_json;

namespace concur {


std::optional<size_t> ruleIndexOf(llvm::StringRef CheckId) {
  auto Checks = allChecks();
  for (size_t I = 0; I < Checks.size(); ++I)
    if (CheckId == Checks[I].Id)
      return I;
  return std::nullopt;
}

/// A rule's display name, distinct from its id as SARIF asks:
/// "concur-lock-across-blocking-call" is "LockAcrossBlockingCall".
static std::string ruleName(llvm::StringRef Id) {
  Id.consume_front("concur-");
  std::string Name;
  bool Upper = true;
  for (char C : Id) {
    if (C == '-') {
      Upper = true;
      continue;
    }
    Name += Upper ? llvm::toUpper(C) : C;
    Upper = false;
  }
  return Name;
}

/// SARIF message text reads `[text](id)` as a link: literal brackets are
/// escaped (a message may name `operator[]`).
static std::string escapeBrackets(llvm::StringRef Text) {
  std::string Out;
  for (char C : Text) {
    if (C == '[' || C == ']')
      Out += '\\';
    Out += C;
  }
  return Out;
}

namespace {

class SarifBuilder {
public:
  explicit SarifBuilder(const SarifOptions &Opts) {
    Root = Opts.SourceRoot;
    if (!Root.empty() && Root.back() != '/')
      Root += '/';
  }

  json artifactLocation(const std::string &File) const {
    if (!Root.empty() && llvm::StringRef(File).starts_with(Root))
      return {{"uri", percentEncodePath(File.substr(Root.size()))},
              {"uriBaseId", "%SRCROOT%"}};
    return {{"uri", "file://" + percentEncodePath(File)}};
  }

  json physicalLocation(const ResolvedLocation &L) const {
    json Region = {{"startLine", L.Line},
                   {"startColumn", utf16Column(L.LineText, L.Column)},
                   {"endLine", L.Line},
                   {"endColumn", utf16Column(L.LineText, L.EndColumn)}};
    if (!L.LineText.empty())
      Region["snippet"] = {{"text", L.LineText}};
    return {{"artifactLocation", artifactLocation(L.File)}, {"region", Region}};
  }

  json location(const ResolvedLocation &L, const std::string &Message) const {
    json J = {{"physicalLocation", physicalLocation(L)}};
    if (!Message.empty())
      J["message"] = {{"text", Message}};
    return J;
  }

  std::string lineHash(const ResolvedLocation &L) {
    auto It = Hashes.find(L.File);
    if (It == Hashes.end()) {
      std::vector<std::string> H;
      if (auto Buf = llvm::MemoryBuffer::getFile(L.File))
        H = lineHashes((*Buf)->getBuffer());
      It = Hashes.emplace(L.File, std::move(H)).first;
    }
    if (L.Line == 0 || L.Line > It->second.size())
      return "";
    return It->second[L.Line - 1];
  }

  json result(const ResolvedFinding &F) {
    std::optional<size_t> Index = ruleIndexOf(F.CheckId);
    json R = {{"ruleId", F.CheckId}};
    if (Index)
      R["ruleIndex"] = *Index;
    R["level"] = F.Level;
    R["locations"] = json::array({location(F.Loc, "")});

    // The message links each related location ([text](id)): code scanning
    // shows only the related locations a message links to.
    std::string Text = escapeBrackets(F.Message);
    json Related = json::array();
    unsigned Id = 1;
    for (const auto *List : {&F.Notes, &F.CallChain})
      for (const ResolvedNote &N : *List)
        if (N.Loc.valid()) {
          json L = location(N.Loc, N.Message);
          Text += (Id == 1 ? "\n\n" : "; ") + std::string("[") +
                  escapeBrackets(N.Message) + "](" + std::to_string(Id) + ")";
          L["id"] = Id++;
          Related.push_back(L);
        }
    if (!Related.empty())
      R["relatedLocations"] = Related;
    R["message"] = {{"text", Text}};

    if (!F.Fixes.empty()) {
      json Changes = json::array();
      for (const ResolvedNote &Fix : F.Fixes) {
        json Deleted = physicalLocation(Fix.Loc)["region"];
        Deleted.erase("snippet");
        Changes.push_back(
            {{"artifactLocation", artifactLocation(Fix.Loc.File)},
             {"replacements",
              json::array({{{"deletedRegion", Deleted},
                            {"insertedContent", {{"text", Fix.Message}}}}})}});
      }
      R["fixes"] = json::array(
          {{{"description", {{"text", "replace with '" + F.Fixes[0].Message + "'"}}},
            {"artifactChanges", Changes}}});
    }

    if (!F.ThreadPaths.empty()) {
      // One thread flow per thread's path: SARIF's own shape for "these
      // threads, interleaved so, go wrong together".
      json Threads = json::array();
      for (const std::vector<unsigned> &Path : F.ThreadPaths) {
        json Steps = json::array();
        for (unsigned I : Path) {
          if (I == Finding::PrimaryStep)
            Steps.push_back({{"location", location(F.Loc, F.Message)}, {"nestingLevel", 0}});
          else if (I < F.Notes.size() && F.Notes[I].Loc.valid())
            Steps.push_back({{"location", location(F.Notes[I].Loc, F.Notes[I].Message)},
                             {"nestingLevel", 0}});
        }
        if (!Steps.empty())
          Threads.push_back({{"locations", Steps}});
      }
      if (!Threads.empty())
        R["codeFlows"] = json::array({{{"threadFlows", Threads}}});
    } else if (!F.CallChain.empty()) {
      // The path from the first event (the acquisition, the close, the
      // spawn) through the call made under it down to the operation that
      // goes wrong, one nesting level per call.
      json Steps = json::array();
      if (F.FlowStartNote && *F.FlowStartNote < F.Notes.size() &&
          F.Notes[*F.FlowStartNote].Loc.valid()) {
        const ResolvedNote &Start = F.Notes[*F.FlowStartNote];
        Steps.push_back({{"location", location(Start.Loc, Start.Message)},
                         {"nestingLevel", 0}});
      }
      Steps.push_back({{"location", location(F.Loc, F.Message)}, {"nestingLevel", 0}});
      unsigned Level = 1;
      for (const ResolvedNote &N : F.CallChain)
        if (N.Loc.valid())
          Steps.push_back({{"location", location(N.Loc, N.Message)},
                           {"nestingLevel", Level++}});
      R["codeFlows"] = json::array(
          {{{"threadFlows", json::array({{{"locations", Steps}}})}}});
    }
    json Fingerprints = json::object();
    std::string Hash = lineHash(F.Loc);
    if (!Hash.empty())
      Fingerprints["primaryLocationLineHash"] = Hash;
    if (!F.Fingerprint.empty())
      Fingerprints[FingerprintKey] = F.Fingerprint;
    if (!Fingerprints.empty())
      R["partialFingerprints"] = Fingerprints;
    if (!F.BaselineState.empty())
      R["baselineState"] = F.BaselineState;
    if (F.Suppression) {
      json S = {{"kind", F.Suppression->Kind}, {"status", "accepted"}};
      if (!F.Suppression->Justification.empty())
        S["justification"] = F.Suppression->Justification;
      if (!F.Suppression->File.empty())
        S["location"] = {
            {"physicalLocation",
             {{"artifactLocation", artifactLocation(F.Suppression->File)},
              {"region", {{"startLine", F.Suppression->Line}}}}}};
      R["suppressions"] = json::array({S});
    }
    return R;
  }

  json rules() const {
    json Rules = json::array();
    for (const CheckInfo &C : allChecks())
      Rules.push_back(
          {{"id", C.Id},
           {"name", ruleName(C.Id)},
           {"shortDescription", {{"text", C.ShortDescription}}},
           {"fullDescription", {{"text", C.FullDescription}}},
           {"help", {{"text", std::string(C.FullDescription) + " See " +
                                  checkHelpUri(C)},
                     {"markdown", checkHelpMarkdown(C)}}},
           {"helpUri", checkHelpUri(C)},
           {"defaultConfiguration", {{"level", C.DefaultLevel}}},
           {"properties", {{"tags", {"concurrency", "reliability"}},
                           {"precision", "high"},
                           {"problem.severity", "warning"}}}});
    return Rules;
  }

private:
  std::string Root;
  std::map<std::string, std::vector<std::string>> Hashes;
};

} // namespace

std::string renderSarif(const std::vector<ResolvedFinding> &Findings,
                        const std::vector<FailedFile> &Failures,
                        const SarifOptions &Opts) {
  SarifBuilder B(Opts);
  json Results = json::array();
  for (const ResolvedFinding &F : Findings)
    Results.push_back(B.result(F));
  if (Opts.Absent)
    for (json R : *Opts.Absent) {
      // Its rule index must point into this log's rules.
      R.erase("ruleIndex");
      if (std::optional<size_t> Index = ruleIndexOf(R.value("ruleId", "")))
        R["ruleIndex"] = *Index;
      Results.push_back(std::move(R));
    }

  json Invocation = {{"executionSuccessful", Failures.empty()}};
  if (!Opts.CommandLine.empty()) {
    std::string Cmd;
    for (const std::string &A : Opts.CommandLine)
      Cmd += (Cmd.empty() ? "" : " ") + A;
    Invocation["commandLine"] = Cmd;
  }
  if (!Failures.empty()) {
    json Notes = json::array();
    for (const FailedFile &F : Failures)
      Notes.push_back({{"level", "error"},
                       {"message", {{"text", F.File + ": " + F.Reason}}},
                       {"locations", json::array({{{"physicalLocation",
                           {{"artifactLocation", B.artifactLocation(F.File)}}}}})}});
    Invocation["toolExecutionNotifications"] = Notes;
  }
  if (!Opts.SourceRoot.empty())
    Invocation["workingDirectory"] = {{"uri", "file://" + percentEncodePath(Opts.SourceRoot) + "/"}};

  json Run = {
      {"tool",
       {{"driver",
         {{"name", "concur"},
          {"version", CONCUR_VERSION},
          {"semanticVersion", CONCUR_VERSION},
          {"informationUri", CONCUR_INFORMATION_URI},
          {"rules", B.rules()}}}}},
      {"invocations", json::array({Invocation})},
      {"columnKind", "utf16CodeUnits"},
      {"results", Results}};
  if (!Opts.Category.empty()) {
    // "category/run-id": code scanning takes what precedes the last '/'.
    std::string Id = Opts.Category;
    if (Id.back() != '/')
      Id += '/';
    Run["automationDetails"] = {{"id", Id}};
  }
  if (!Opts.SourceRoot.empty()) {
    std::string Root = Opts.SourceRoot;
    if (Root.back() != '/')
      Root += '/';
    Run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", "file://" + percentEncodePath(Root)}}}};
  }
  json Log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({Run})}};
  return dumpJson(Log);
}

} // namespace concur
