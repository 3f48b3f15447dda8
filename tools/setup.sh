#!/usr/bin/env bash
# The main job: install what is missing, build concur, install it (concur,
# the clang-tidy plugin, concur-gate, the docs) so that editors and CI call
# it by name, and run it on the bundled example project
# (examples/worker-pool), which has real bugs.
#
#   tools/setup.sh [--prefix DIR | --no-install]
#
# The prefix defaults to /usr/local for root and ~/.local for anyone else.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$(id -u)" -eq 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
install=1
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "setup: --prefix needs a directory" >&2; exit 2; }
              prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --no-install) install=0; shift ;;
    *) echo "setup: unknown argument '$1' (usage: tools/setup.sh [--prefix DIR | --no-install])" >&2
       exit 2 ;;
  esac
done
"$root/tools/install-deps.sh"
"$root/tools/build.sh"
if [ "$install" = 1 ]; then
  cmake --install "$root/build" --prefix "$prefix" > /dev/null
  echo "setup: installed concur, concur-gate and the clang-tidy plugin under $prefix"
  case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "setup: add $prefix/bin to your PATH to call concur by name" ;;
  esac
fi

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
