#!/usr/bin/env bash
# Runs one fuzz target of a sanitizer build on its seed corpus.
#
#   tools/fuzz/run.sh <build dir> <target> [libFuzzer flags...]
#
# <target>: rules, driver-inputs, compile-db, lsp-transport or facts. The seeds are
# the target's files in tools/fuzz/corpus/<target> (with regression/, the
# inputs that once failed) and, for `rules`, the rules files; new inputs
# libFuzzer finds go to <build dir>/fuzz/<target>/corpus, crashes to
# <build dir>/fuzz/<target>/
# ($CONCUR_FUZZ_DIR instead of <build dir>/fuzz when set).
# The flags bound the run: tools/test-sanitizers.sh gives a fixed seed and
# a few seconds; `-max_total_time=1800` is a 30-minute session.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "$1" && pwd)"
target="$2"
shift 2
work="${CONCUR_FUZZ_DIR:-$build/fuzz}/$target"
seeds="$work/seeds"
mkdir -p "$work/corpus" "$seeds"
if [ "$target" = rules ]; then
  cp "$root"/rules/*.json "$seeds/"
  find "$root/test" -name '*.json' -path '*Inputs*' -exec cp {} "$seeds/" \;
fi
# The target's seeds, and under regression/ the inputs that once crashed or
# exhausted memory: every run, bounded or long, runs each of them first.
if [ -d "$root/tools/fuzz/corpus/$target" ]; then
  find "$root/tools/fuzz/corpus/$target" -type f -exec cp {} "$seeds/" \;
fi
cd "$work"
# -rss_limit_mb: the default 2 GB is more than a shared CI runner spares.
# -malloc_limit_mb: no input of a few KiB may make a reader allocate 256 MiB
# at once (a length field taken at its word); later flags override both.
exec "$build/bin/fuzz-$target" -rss_limit_mb=1024 -malloc_limit_mb=256 \
  -artifact_prefix="$work/" "$@" "$work/corpus" "$seeds"
