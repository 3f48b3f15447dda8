//===- fuzz_driver_inputs.cpp - Suppressions, baselines, merge ------------===//
//
// The same bytes read as a suppressions file (--suppressions), as a
// baseline (--baseline, then the SARIF written with its absent results) and
// as a log given to concur merge (merged with itself, then written).
//
//===----------------------------------------------------------------------===//

#include "driver/Baseline.h"
#include "driver/OutputFile.h"
#include "driver/SarifMerge.h"
#include "driver/SarifWriter.h"
#include "driver/Suppressions.h"
#include <cstdint>

using namespace concur;

static std::vector<ResolvedFinding> someFindings() {
  std::vector<ResolvedFinding> Findings(2);
  for (size_t I = 0; I < Findings.size(); ++I) {
    ResolvedFinding &F = Findings[I];
    F.CheckId = "concur-lock-across-blocking-call";
    F.Message = "call to 'usleep' blocks while holding lock 'mu'";
    F.Loc.File = "/src/a.cpp";
    F.Loc.DisplayFile = "a.cpp";
    F.Loc.Line = 6 + I;
    F.Loc.Column = 3;
    F.Loc.EndColumn = 9;
    F.Loc.LineText = "  usleep(1);";
    F.Fingerprint = "0123456789abcdef:" + std::to_string(I + 1);
  }
  return Findings;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);

  if (auto S = SuppressionsFile::parse("fuzz.json", Text)) {
    std::vector<ResolvedFinding> Findings = someFindings();
    S->apply(Findings, [](const ResolvedFinding &F) { return F.Loc.DisplayFile; });
  } else {
    llvm::consumeError(S.takeError());
  }

  auto Log = parseSarif("fuzz.sarif", Text);
  if (!Log) {
    llvm::consumeError(Log.takeError());
    return 0;
  }
  std::vector<ResolvedFinding> Findings = someFindings();
  std::vector<nlohmann::ordered_json> Absent = compareWithBaseline(*Log, Findings);
  SarifOptions Opts;
  Opts.SourceRoot = "/src";
  Opts.Absent = &Absent;
  (void)renderSarif(Findings, {}, Opts);

  std::vector<JsonInput> Logs;
  Logs.push_back(*Log);
  Logs.push_back(std::move(*Log));
  (void)dumpJson(mergeSarifLogs(Logs));
  return 0;
}
