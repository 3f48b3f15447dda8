//===- SarifMerge.cpp -----------------------------------------------------===//

#include "driver/SarifMerge.h"
#include "driver/Baseline.h"
#include "driver/OutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using json = nlohmann::ordered_json;

namespace concur {

static std::string runKey(const json &Run) {
  std::string Tool = Run.value("/tool/driver/name"_json_pointer, std::string());
  std::string Category =
      Run.value("/automationDetails/id"_json_pointer, std::string());
  return Tool + '\n' + Category;
}

/// What makes two results the same finding: the rule and the primary
/// location (a header's finding seen by two shards may count its evidence
/// differently).
static std::string resultKey(const json &R) {
  std::string Key = R.value("ruleId", "");
  if (R.contains("locations") && R["locations"].is_array() &&
      !R["locations"].empty()) {
    const json &L = R["locations"][0];
    Key += '\n' + L.value("/physicalLocation/artifactLocation/uri"_json_pointer, std::string());
    Key += '\n' + L.value("/physicalLocation/artifactLocation/uriBaseId"_json_pointer, std::string());
    Key += '\n' + std::to_string(L.value("/physicalLocation/region/startLine"_json_pointer, 0));
    Key += ':' + std::to_string(L.value("/physicalLocation/region/startColumn"_json_pointer, 0));
  }
  return Key;
}

/// Folds Other into Merged: its rules, invocations, base URIs and the
/// results Merged does not have yet.
static void mergeRun(json &Merged, const json &Other,
                     std::set<std::string> &Seen) {
  json &Rules = Merged["tool"]["driver"]["rules"];
  if (!Rules.is_array())
    Rules = json::array();
  std::map<std::string, size_t> RuleIndex;
  for (size_t I = 0; I < Rules.size(); ++I)
    RuleIndex[Rules[I].value("id", "")] = I;
  for (const json &Rule : Other.value("/tool/driver/rules"_json_pointer, json::array()))
    if (!RuleIndex.count(Rule.value("id", ""))) {
      RuleIndex[Rule.value("id", "")] = Rules.size();
      Rules.push_back(Rule);
    }

  if (&Merged != &Other) {
    for (const json &Inv : Other.value("invocations", json::array()))
      Merged["invocations"].push_back(Inv);
    json OtherBases = Other.value("originalUriBaseIds", json::object());
    for (auto &[Name, Base] : OtherBases.items()) {
      json &Bases = Merged["originalUriBaseIds"];
      if (!Bases.contains(Name))
        Bases[Name] = Base;
      else if (Bases[Name] != Base)
        llvm::WithColor::warning(llvm::errs(), "concur merge")
            << "the logs disagree on " << Name
            << "; relative locations keep the first log's\n";
    }
  }

  json Results = &Merged == &Other ? json::array() : Merged["results"];
  for (json R : Other.value("results", json::array())) {
    if (!Seen.insert(resultKey(R)).second)
      continue; // a header finding another shard reported already
    auto It = RuleIndex.find(R.value("ruleId", ""));
    R.erase("ruleIndex");
    if (It != RuleIndex.end())
      R["ruleIndex"] = It->second;
    Results.push_back(std::move(R));
  }
  Merged["results"] = std::move(Results);
}

json mergeSarifLogs(std::vector<JsonInput> &Logs) {
  std::vector<json> Runs;
  std::map<std::string, size_t> RunByKey;
  std::map<size_t, std::set<std::string>> SeenByRun;
  for (JsonInput &Log : Logs) {
    for (json &Run : Log.value()["runs"]) {
      std::string Key = runKey(Run);
      auto [It, Inserted] = RunByKey.try_emplace(Key, Runs.size());
      if (Inserted) {
        Runs.push_back(Run);
        if (!Runs.back().contains("invocations"))
          Runs.back()["invocations"] = json::array();
        mergeRun(Runs.back(), Runs.back(), SeenByRun[It->second]);
      } else {
        mergeRun(Runs[It->second], Run, SeenByRun[It->second]);
      }
    }
  }
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", Runs}};
}

int runMergeCommand(int argc, const char **argv) {
  std::vector<std::string> Inputs;
  std::string Output = "-";
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef A = argv[I];
    if (A == "-h" || A == "--help") {
      llvm::outs() << "USAGE: concur merge <a.sarif> <b.sarif>... [-o <out.sarif>]\n\n"
                      "Combines SARIF logs into one, with one run per tool and "
                      "category; a finding\nreported by several logs (from a "
                      "shared header) is kept once.\n";
      return 0;
    }
    if (A == "-o" && I + 1 < argc) {
      Output = argv[++I];
    } else if (A.consume_front("--output=") || A.consume_front("-o=")) {
      Output = A.str();
    } else if (A.starts_with("-") && A != "-") {
      llvm::WithColor::error(llvm::errs(), "concur merge")
          << "unknown option '" << A << "'; see concur merge --help\n";
      return 2;
    } else {
      Inputs.push_back(A.str());
    }
  }
  if (Inputs.empty()) {
    llvm::WithColor::error(llvm::errs(), "concur merge")
        << "no input logs; see concur merge --help\n";
    return 2;
  }

  std::vector<JsonInput> Logs;
  for (const std::string &In : Inputs) {
    auto Log = readSarif(In);
    if (!Log) {
      llvm::WithColor::error(llvm::errs(), "concur merge")
          << llvm::toString(Log.takeError()) << "\n";
      return 2;
    }
    Logs.push_back(std::move(*Log));
  }
  json Merged = mergeSarifLogs(Logs);
  std::string Text = dumpJson(Merged);
  if (llvm::Error E = writeOutput(Output, Text)) {
    llvm::WithColor::error(llvm::errs(), "concur merge")
        << llvm::toString(std::move(E)) << "\n";
    return 2;
  }
  return 0;
}

} // namespace concur
