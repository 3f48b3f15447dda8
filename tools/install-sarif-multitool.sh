#!/usr/bin/env bash
# Installs Microsoft's SARIF multitool (npm: @microsoft/sarif-multitool, which
# ships a self-contained binary) into build/npm for the SARIF tests.
# Idempotent; needs npm (Debian: apt-get install npm).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$root/build/npm"
binary="$prefix/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ -x "$binary" ]; then
  echo "install-sarif-multitool: already installed"
  exit 0
fi
if ! command -v npm > /dev/null; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo > /dev/null; then
      echo "install-sarif-multitool: npm is missing; ask an administrator to run:" >&2
      echo "  apt-get install -y --no-install-recommends npm" >&2
      exit 2
    fi
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends npm
fi
mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
  @microsoft/sarif-multitool@5.7.0 > /dev/null
test -x "$binary"
echo "install-sarif-multitool: installed into build/npm"
