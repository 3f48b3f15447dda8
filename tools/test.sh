#!/usr/bin/env bash
# Builds concur and runs every test (lit + FileCheck), then the same suite
# and the bounded fuzz runs under sanitizers (tools/test-sanitizers.sh;
# CONCUR_SANITIZERS=0 skips them). Prints one last line
# "N passed, N failed, N skipped" for CI, counting both.
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

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer, and
# the bounded fuzz runs (tools/test-sanitizers.sh). The sanitizer suite
# loads build/'s clang-tidy plugin, which tools/build.sh has just rebuilt.
if [ "${CONCUR_SANITIZERS:-1}" = 1 ]; then
  "$root/tools/test-sanitizers.sh" 2>&1 | tee "$log"
  san_status=${PIPESTATUS[0]}
  line=$(grep '^sanitizers: ' "$log" | tail -n 1)
  san() { echo "$line" | sed -n "s/.* \([0-9][0-9]*\) $1.*/\1/p"; }
  sp=$(san passed); sf=$(san failed); ss=$(san skipped)
  passed=$((passed + ${sp:-0})); unsupported=$((unsupported + ${ss:-0}))
  failed=$((failed + ${sf:-0}))
  if [ "$san_status" -ne 0 ] && [ "${sf:-0}" -eq 0 ]; then
    failed=$((failed + 1))
  fi
  [ "$san_status" -ne 0 ] && status=1
fi
[ "$failed" -ne 0 ] && status=1
echo "${passed} passed, ${failed} failed, ${unsupported} skipped"
exit "$status"
