#!/usr/bin/env bash
# Builds concur and runs every test (lit + FileCheck), then prints one line
# "N passed, N failed" for CI.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/tools/install-deps.sh" || exit 1
"$root/tools/build.sh" || exit 1

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
/usr/lib/llvm-22/bin/lit -v "$root/build/test" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

count() { # lit's summary: "  Passed: 18 (94.74%)" or "  Passed     : 18 (...)"
  sed -n "s/^ *$1 *: *\([0-9][0-9]*\).*/\1/p" "$log" | tail -n 1
}
passed=$(count Passed); failed=$(count Failed); unsupported=$(count Unsupported)
passed=${passed:-0}; failed=${failed:-0}; unsupported=${unsupported:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # lit itself failed (a configuration error): do not report success
fi
echo "${passed} passed, ${failed} failed, ${unsupported} skipped"
exit "$status"
