//===- Baseline.cpp -------------------------------------------------------===//

#include "driver/Baseline.h"
#include "llvm/Support/MemoryBuffer.h"
#include <map>

using json = nlohmann::ordered_json;

namespace concur {

llvm::Expected<json> readSarif(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return llvm::createStringError(Buf.getError(), "%s: cannot read: %s",
                                   Path.str().c_str(),
                                   Buf.getError().message().c_str());
  json Log;
  try {
    Log = json::parse((*Buf)->getBuffer().begin(), (*Buf)->getBuffer().end());
  } catch (const json::exception &E) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s: not valid JSON: %s", Path.str().c_str(),
                                   E.what());
  }
  if (!Log.is_object() || Log.value("version", "") != "2.1.0" ||
      !Log.contains("runs") || !Log["runs"].is_array())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s: not a SARIF 2.1.0 log",
                                   Path.str().c_str());
  return Log;
}

llvm::Expected<std::vector<json>>
compareWithBaseline(llvm::StringRef BaselinePath,
                    std::vector<ResolvedFinding> &Findings) {
  auto Log = readSarif(BaselinePath);
  if (!Log)
    return Log.takeError();
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
