#!/bin/sh
# Writes one SARIF log of each kind the PR gate produces into OUT:
#   findings.sarif   plain results (codeFlows, relatedLocations)
#   baseline.sarif   new, unchanged and absent results (--baseline)
#   suppressed.sarif NOLINT and suppressions-file results
#   merged.sarif     two shards merged, and a second category
# usage: make-gating-logs.sh <concur> <test/sarif/Inputs> <OUT>
set -e
concur=$1 inputs=$2 out=$3
mkdir -p "$out/vendor"
cd "$out"
run() { "$concur" --quiet "$@" > /dev/null || [ $? -eq 1 ]; }
cp "$inputs/../../checks/waitgroup-unpaired/through-calls.cpp" flows.cpp
run --sarif=findings.sarif flows.cpp -- -std=c++20
cp "$inputs/baseline-v1.cpp" code.cpp
run --sarif=base.sarif code.cpp -- -std=c++17
cp "$inputs/baseline-v4-fixed.cpp" code.cpp
cat "$inputs/baseline-v3-new-bug.cpp" | sed -n '/void drain/,$p' >> code.cpp
run --baseline=base.sarif --sarif=baseline.sarif code.cpp -- -std=c++17
cp "$inputs/suppressed.cpp" main.cpp
cp "$inputs/vendor/legacy.cpp" vendor/legacy.cpp
printf '{"format": "concur-suppressions", "version": 1, "suppressions": [{"path": "vendor/*", "justification": "vendored"}]}\n' > suppressions.json
run --suppressions=suppressions.json --sarif=suppressed.sarif main.cpp vendor/legacy.cpp -- -std=c++17
cp "$inputs/shards/"* .
run --sarif=a.sarif a.cpp -- -std=c++17
run --sarif=b.sarif b.cpp -- -std=c++17
run --category=linux-gcc --sarif=c.sarif b.cpp -- -std=c++17
"$concur" merge a.sarif b.sarif c.sarif -o merged.sarif
