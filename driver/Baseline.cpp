//===- Baseline.cpp -------------------------------------------------------===//

#include "driver/Baseline.h"
#include <map>

using json = nlohmann::ordered_json;

namespace concur {

namespace {

using Kind = JsonInput::Kind;

/// The location of a result, as the merge keys it.
llvm::Error checkLocation(const JsonInput &In, const json &L,
                          const std::string &P) {
  if (auto E = In.expect(L, P, Kind::Object))
    return E;
  if (auto E = In.expectIfPresent(L, P, "physicalLocation", Kind::Object))
    return E;
  if (!L.contains("physicalLocation"))
    return llvm::Error::success();
  const json &Phys = L["physicalLocation"];
  std::string PP = P + "/physicalLocation";
  if (auto E = In.expectIfPresent(Phys, PP, "artifactLocation", Kind::Object))
    return E;
  if (auto E = In.expectIfPresent(Phys, PP, "region", Kind::Object))
    return E;
  if (Phys.contains("artifactLocation")) {
    const json &A = Phys["artifactLocation"];
    for (const char *Key : {"uri", "uriBaseId"})
      if (auto E = In.expectIfPresent(A, PP + "/artifactLocation", Key,
                                      Kind::String))
        return E;
  }
  if (Phys.contains("region"))
    for (const char *Key : {"startLine", "startColumn"})
      if (auto E = In.expectIfPresent(Phys["region"], PP + "/region", Key,
                                      Kind::Integer))
        return E;
  return llvm::Error::success();
}

llvm::Error checkResult(const JsonInput &In, const json &R,
                        const std::string &P) {
  if (auto E = In.expect(R, P, Kind::Object))
    return E;
  for (const char *Key : {"ruleId", "baselineState"})
    if (auto E = In.expectIfPresent(R, P, Key, Kind::String))
      return E;
  if (auto E = In.expectIfPresent(R, P, "partialFingerprints", Kind::Object))
    return E;
  if (R.contains("partialFingerprints"))
    for (auto It = R["partialFingerprints"].begin();
         It != R["partialFingerprints"].end(); ++It)
      if (auto E = In.expect(*It, P + "/partialFingerprints/" + It.key(),
                             Kind::String))
        return E;
  if (auto E = In.expectIfPresent(R, P, "locations", Kind::Array))
    return E;
  if (R.contains("locations") && !R["locations"].empty())
    return checkLocation(In, R["locations"][0], P + "/locations/0");
  return llvm::Error::success();
}

llvm::Error checkRun(const JsonInput &In, const json &Run,
                     const std::string &P) {
  if (auto E = In.expect(Run, P, Kind::Object))
    return E;
  if (auto E = In.expectIfPresent(Run, P, "tool", Kind::Object))
    return E;
  if (Run.contains("tool")) {
    const json &Tool = Run["tool"];
    if (auto E = In.expectIfPresent(Tool, P + "/tool", "driver", Kind::Object))
      return E;
    if (Tool.contains("driver")) {
      const json &Driver = Tool["driver"];
      std::string DP = P + "/tool/driver";
      if (auto E = In.expectIfPresent(Driver, DP, "name", Kind::String))
        return E;
      if (auto E = In.expectIfPresent(Driver, DP, "rules", Kind::Array))
        return E;
      if (Driver.contains("rules"))
        for (size_t I = 0; I < Driver["rules"].size(); ++I) {
          std::string RP = DP + "/rules/" + std::to_string(I);
          if (auto E = In.expect(Driver["rules"][I], RP, Kind::Object))
            return E;
          if (auto E = In.expectIfPresent(Driver["rules"][I], RP, "id",
                                          Kind::String))
            return E;
        }
    }
  }
  if (auto E = In.expectIfPresent(Run, P, "automationDetails", Kind::Object))
    return E;
  if (Run.contains("automationDetails"))
    if (auto E = In.expectIfPresent(Run["automationDetails"],
                                    P + "/automationDetails", "id",
                                    Kind::String))
      return E;
  if (auto E = In.expectIfPresent(Run, P, "invocations", Kind::Array))
    return E;
  if (auto E = In.expectIfPresent(Run, P, "originalUriBaseIds", Kind::Object))
    return E;
  if (auto E = In.expectIfPresent(Run, P, "results", Kind::Array))
    return E;
  if (Run.contains("results"))
    for (size_t I = 0; I < Run["results"].size(); ++I)
      if (auto E = checkResult(In, Run["results"][I],
                               P + "/results/" + std::to_string(I)))
        return E;
  return llvm::Error::success();
}

} // namespace

static llvm::Error checkSarif(const JsonInput &In) {
  const json &Log = In.value();
  if (!Log.is_object() || !Log.contains("version") ||
      Log["version"] != "2.1.0")
    return In.error(Log.is_object() && Log.contains("version") ? "/version" : "",
                    "not a SARIF 2.1.0 log (\"version\": \"2.1.0\")");
  if (!Log.contains("runs"))
    return In.error("", "a SARIF log needs 'runs'");
  if (auto E = In.expect(Log["runs"], "/runs", Kind::Array))
    return E;
  for (size_t I = 0; I < Log["runs"].size(); ++I)
    if (auto E = checkRun(In, Log["runs"][I], "/runs/" + std::to_string(I)))
      return E;
  return llvm::Error::success();
}

llvm::Expected<JsonInput> readSarif(llvm::StringRef Path) {
  auto In = JsonInput::read(Path);
  if (!In)
    return In.takeError();
  if (llvm::Error E = checkSarif(*In))
    return std::move(E);
  return In;
}

llvm::Expected<JsonInput> parseSarif(llvm::StringRef Name,
                                     llvm::StringRef Text) {
  auto In = JsonInput::parse(Name, Text);
  if (!In)
    return In.takeError();
  if (llvm::Error E = checkSarif(*In))
    return std::move(E);
  return In;
}

llvm::Expected<std::vector<json>>
compareWithBaseline(llvm::StringRef BaselinePath,
                    std::vector<ResolvedFinding> &Findings) {
  auto In = readSarif(BaselinePath);
  if (!In)
    return In.takeError();
  return compareWithBaseline(*In, Findings);
}

std::vector<json> compareWithBaseline(const JsonInput &In,
                                     std::vector<ResolvedFinding> &Findings) {
  const json *Log = &In.value();
  // Every result of the baseline's concur runs that was still there when
  // it was written, by fingerprint; identical fingerprints queue up.
  std::map<std::string, std::vector<json>> Previous;
  for (const json &Run : (*Log)["runs"]) {
    if (!Run.is_object() || Run.value("/tool/driver/name"_json_pointer, "") != "concur" ||
        !Run.contains("results"))
      continue;
    for (const json &R : Run["results"]) {
      if (!R.is_object() || R.value("baselineState", "") == "absent")
        continue;
      std::string Key = R.value("/partialFingerprints"_json_pointer, json::object())
                            .value(FingerprintKey, "");
      if (!Key.empty())
        Previous[Key].push_back(R);
    }
  }
  for (ResolvedFinding &F : Findings) {
    auto It = Previous.find(F.Fingerprint);
    if (It != Previous.end() && !It->second.empty()) {
      It->second.pop_back();
      F.BaselineState = "unchanged";
    } else {
      F.BaselineState = "new";
    }
  }
  std::vector<json> Absent;
  for (auto &KV : Previous)
    for (json &R : KV.second) {
      R["baselineState"] = "absent";
      Absent.push_back(std::move(R));
    }
  return Absent;
}

} // namespace concur
