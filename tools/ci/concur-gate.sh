#!/usr/bin/env bash
# The pull-request gate that the CI templates beside this script run:
# analyse the change with concur and fail only on findings it introduces.
#
#   concur-gate.sh [--base <git rev>] [--category <name>] [--out <file.sarif>]
#                  [--configure "<command>"] [--build-dir <dir>]
#                  [--suppressions <file>] [--codeclimate <file.json>]
#                  [-- <extra concur options>]
#
# Run from the root of the project's checkout. The configure command must
# write <build dir>/compile_commands.json (default: a CMake configure with
# CMAKE_EXPORT_COMPILE_COMMANDS=ON). With --base, the base revision is
# checked out in a git worktree, configured and analysed the same way; its
# SARIF is the baseline, so findings that were already there do not fail the
# job; files the change renames or moves (git's rename detection) keep their
# findings. Without --base every finding fails it. Exit status: 0 clean, 1
# new findings, 2 concur could not analyse something. --codeclimate writes
# GitLab's Code Quality report of the change (every finding, as GitLab
# compares it with the target branch's report itself). Leaves nothing behind
# but the SARIF file.
set -euo pipefail

concur="${CONCUR:-concur}"
base="" category="" out="concur.sarif" build_dir="build" suppressions="" codeclimate=""
configure='cmake -S . -B build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON'
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base="$2"; shift 2 ;;
    --category) category="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --configure) configure="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --suppressions) suppressions="$2"; shift 2 ;;
    --codeclimate) codeclimate="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "concur-gate: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

common=()
[ -n "$category" ] && common+=("--category=$category")
[ -n "$suppressions" ] && common+=("--suppressions=$(realpath "$suppressions")")
out="$(realpath -m "$out")"
change=()
[ -n "$codeclimate" ] && change+=("--codeclimate=$(realpath -m "$codeclimate")")

analyse() { # <tree> <sarif> [concur options...]
  local tree="$1" sarif="$2"; shift 2
  (cd "$tree" && bash -c "$configure" > /dev/null)
  local status=0
  (cd "$tree" && "$concur" -p "$build_dir" --source-root=. --sarif="$sarif" \
      "${common[@]}" "${extra[@]}" "$@") || status=$?
  return "$status"
}

# "OLD<tab>NEW" for each file renamed between the base and the working
# tree, as git detects them: the base's fingerprints are computed under the
# new names, so a moved file's findings stay "unchanged".
renames() { # <base> <file>
  local status old new
  : > "$2"
  while IFS= read -r -d '' status; do
    IFS= read -r -d '' old
    case "$status" in
      R*) IFS= read -r -d '' new; printf '%s\t%s\n' "$old" "$new" >> "$2" ;;
      C*) IFS= read -r -d '' new ;;
    esac
  done < <(git diff --find-renames --name-status -z "$1" --)
}

if [ -n "$base" ]; then
  tmp="$(mktemp -d)"
  worktree="$tmp/base"
  trap 'git worktree remove --force "$worktree" > /dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
  git worktree add --detach "$worktree" "$base" > /dev/null
  renames "$base" "$tmp/renames"
  echo "concur-gate: analysing the base revision $base"
  status=0
  analyse "$worktree" "$tmp/base.sarif" --quiet --fingerprint-renames="$tmp/renames" \
    > /dev/null || status=$?
  if [ "$status" -ge 2 ]; then
    echo "concur-gate: the base revision could not be analysed (exit $status)" >&2
    exit 2
  fi
  echo "concur-gate: analysing the change"
  analyse . "$out" --baseline="$tmp/base.sarif" "${change[@]}"
else
  analyse . "$out" "${change[@]}"
fi
