#!/usr/bin/env bash
# Installs what concur needs to build and test, and only what is missing:
# Debian's LLVM 22 (from bookworm-security; clang-tools-22 for
# clang-apply-replacements in the fix-it tests), nlohmann-json, cmake, ninja,
# python3-jsonschema for the SARIF schema tests, libboost-fiber-dev for the
# channel tests against real Boost.Fiber headers, neovim for the editor
# test of the LSP server (concur --lsp), emacs-nox with elpa-eglot and
# elpa-lsp-mode for its Emacs tests, pre-commit for the test of concur's
# pre-commit hook, libclang-rt-22-dev for the
# sanitizer runtimes and libFuzzer (tools/test-sanitizers.sh); then the
# SARIF multitool from npm (tools/install-sarif-multitool.sh). Idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

packages=(
  clang-22 libclang-22-dev llvm-22-dev clang-tidy-22 clang-tools-22 llvm-22-tools
  nlohmann-json3-dev cmake ninja-build python3 python3-jsonschema python3-yaml git
  libboost-fiber-dev neovim emacs-nox elpa-eglot elpa-lsp-mode pre-commit
  libclang-rt-22-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

multitool() {
  # Microsoft's SARIF multitool validates concur's SARIF in the tests; npm
  # ships its binary. Without it those tests are skipped, so a failure here
  # is a warning.
  "$root/tools/install-sarif-multitool.sh" || \
    echo "install-deps: warning: the SARIF multitool could not be installed; its tests will be skipped" >&2
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: every Debian package is installed"
  multitool
  exit 0
fi

# Root installs; anyone else through sudo. Without either, say exactly what
# to run rather than fail on a missing sudo.
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo > /dev/null; then
    echo "install-deps: missing Debian packages, and this user can neither install them nor use sudo." >&2
    echo "install-deps: ask an administrator to run:" >&2
    echo "  apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 2
  fi
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
multitool
