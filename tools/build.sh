#!/usr/bin/env bash
# Configures and builds concur into build/ (bin/concur, lib/libConcurTidyPlugin.so).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jobs="${CONCUR_BUILD_JOBS:-2}"
if [ ! -f "$root/build/build.ninja" ]; then
  cmake -S "$root" -B "$root/build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-22
fi
ninja -C "$root/build" -j "$jobs"
