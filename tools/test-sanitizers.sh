#!/usr/bin/env bash
# The habits that keep bad input from crashing concur: builds concur's own
# code with AddressSanitizer and UndefinedBehaviorSanitizer into
# build-asan/ (LLVM's libraries are used as Debian ships them; the tests
# load the clang-tidy plugin of the normal build/), runs the whole lit
# suite with it, then each libFuzzer target briefly with a fixed seed.
#
# Ends with one line "sanitizers: P passed, F failed, S skipped" (lit tests
# plus fuzz targets) that tools/test.sh adds to its own counts; exits
# non-zero if anything failed. CONCUR_FUZZ_RUNS sets the inputs per target.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-asan"
jobs="${CONCUR_BUILD_JOBS:-2}"
runs="${CONCUR_FUZZ_RUNS:-20000}"

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
start=$(date +%s)
if [ ! -f "$build/build.ninja" ]; then
  # -O1: sanitizers need no more, and it compiles faster than -O3.
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1" -DCMAKE_CXX_COMPILER=clang++-22 \
    "${launcher[@]}" -DCONCUR_SANITIZE=ON -DCONCUR_FUZZ=ON \
    -DCONCUR_TEST_PLUGIN="$root/build/lib/libConcurTidyPlugin.so" >/dev/null ||
    { echo "sanitizers: 0 passed, 1 failed, 0 skipped"; exit 1; }
fi
if ! ninja -C "$build" -j "$jobs"; then
  echo "sanitizers: 0 passed, 1 failed, 0 skipped"
  exit 1
fi
built=$(date +%s)
echo "test-sanitizers: the sanitizer build took $((built - start)) s"

# Leaks count: what LLVM keeps alive at exit stays reachable from its
# globals, which LeakSanitizer does not report.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:${UBSAN_OPTIONS:-}"
# The SARIF multitool tools/install-sarif-multitool.sh put in build/, so
# that its test runs here too.
multitool="$root/build/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ -z "${SARIF_MULTITOOL:-}" ] && [ -x "$multitool" ]; then
  export SARIF_MULTITOOL="$multitool"
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
/usr/lib/llvm-22/bin/lit -v "$build/test" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
count() {
  sed -n "s/^ *$1 *: *\([0-9][0-9]*\).*/\1/p" "$log" | tail -n 1
}
passed=$(count Passed); failed=$(count Failed); skipped=$(count Unsupported)
passed=${passed:-0}; failed=${failed:-0}; skipped=${skipped:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

tested=$(date +%s)

# The fuzz targets, a few seconds each: a fixed seed and a fixed number of
# inputs make the run repeatable; the time limit keeps a slow runner in
# budget. Leaks count here (the readers own everything they allocate).
for target in rules driver-inputs compile-db lsp-transport facts; do
  rm -rf "$build/fuzz-bounded/$target"
  if ASAN_OPTIONS="detect_leaks=1" CONCUR_FUZZ_DIR="$build/fuzz-bounded" \
       "$root/tools/fuzz/run.sh" "$build" "$target" \
       -seed=1 -runs="$runs" -max_total_time=20 -print_final_stats=1 \
       > "$build/fuzz-$target.log" 2>&1; then
    echo "PASS: fuzz-$target ($(grep -o 'stat::number_of_executed_units: *[0-9]*' \
      "$build/fuzz-$target.log" | grep -o '[0-9]*$') inputs)"
    passed=$((passed + 1))
  else
    echo "FAIL: fuzz-$target (see $build/fuzz-$target.log)"
    tail -n 30 "$build/fuzz-$target.log"
    failed=$((failed + 1))
  fi
done

echo "test-sanitizers: build $((built - start)) s, lit suite $((tested - built)) s," \
  "bounded fuzz runs $(( $(date +%s) - tested )) s"
echo "sanitizers: ${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" -eq 0 ]
