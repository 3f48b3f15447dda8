//===- SarifMerge.h - concur merge ------------------------------*- C++ -*-===//
//
//   concur merge a.sarif b.sarif ... [-o all.sarif]
//
// Combines the SARIF of several shards (CI matrix jobs, one run per
// directory) into one log with one run per tool and category, as code
// scanning wants it. A finding in a header that several shards analysed is
// kept once.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_SARIFMERGE_H
#define CONCUR_DRIVER_SARIFMERGE_H

#include "driver/JsonInput.h"
#include <vector>

namespace concur {

/// One log of the runs of Logs (each read by readSarif or parseSarif).
nlohmann::ordered_json mergeSarifLogs(std::vector<JsonInput> &Logs);

/// The `merge` subcommand; argv[0] is "merge". Returns the exit status.
int runMergeCommand(int argc, const char **argv);

} // namespace concur

#endif
