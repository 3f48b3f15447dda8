#!/usr/bin/env bash
# The main job: install what is missing, build concur, and run it on the
# bundled example project (examples/worker-pool), which has real bugs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/tools/install-deps.sh"
"$root/tools/build.sh"

example="$root/examples/worker-pool"
cmake -S "$example" -B "$example/build" -G Ninja \
  -DCMAKE_CXX_COMPILER=clang++-22 -DCMAKE_EXPORT_COMPILE_COMMANDS=ON > /dev/null
ninja -C "$example/build" > /dev/null

echo
echo "== concur on examples/worker-pool (findings are expected: the example has bugs)"
set +e
(cd "$example" && "$root/build/bin/concur" -p build --sarif=build/concur.sarif)
status=$?
set -e
echo "== SARIF written to examples/worker-pool/build/concur.sarif"
# Exit status 1 means "findings", which is what the example is for.
if [ "$status" -ne 1 ]; then
  echo "setup: concur exited with $status on the example (expected 1: findings)" >&2
  exit 1
fi
