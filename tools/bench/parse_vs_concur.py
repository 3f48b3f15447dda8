#!/usr/bin/env python3
"""Compares concur's cost with Clang's own parse over the same translation
units of a compile_commands.json, at the same parallelism:

  parse_vs_concur.py -p BUILD_DIR [-j 2] [--concur build/bin/concur] [--limit N]

Floor: each entry's command run as `clang++-22 -fsyntax-only` (output and
dependency-file flags removed). Then `concur -p BUILD_DIR -j N` over the same
files. Prints wall time, CPU time (user+sys of the children) and the ratio.
"""
import argparse
import json
import os
import resource
import shlex
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def entries(build):
    with open(os.path.join(build, "compile_commands.json")) as f:
        db = json.load(f)
    seen, out = set(), []
    for e in db:
        path = os.path.normpath(os.path.join(e["directory"], e["file"]))
        if path in seen:
            continue  # static and shared object libraries list files twice
        seen.add(path)
        out.append(dict(e, file=path))
    return out


def syntax_only_command(e, clangxx, no_warnings=False):
    args = e.get("arguments") or shlex.split(e["command"])
    out, skip = [clangxx], False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD") or a.startswith("-o"):
            continue
        out.append(a)
    return out + ["-fsyntax-only"] + (["-w"] if no_warnings else [])


def cpu_of_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measure(label, fn):
    cpu0, wall0 = cpu_of_children(), time.monotonic()
    failures = fn()
    wall, cpu = time.monotonic() - wall0, cpu_of_children() - cpu0
    print("%-22s wall %7.1f s   cpu %7.1f s   failures %d" % (label, wall, cpu, failures))
    return wall, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-p", required=True)
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--concur", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin", "concur"))
    ap.add_argument("--clangxx", default="clang++-22")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--floor-no-warnings", action="store_true",
                    help="add -w to the floor too: concur parses with -w, so "
                         "this compares like with like when the project enables "
                         "costly warnings (leveldb's -Wthread-safety)")
    a = ap.parse_args()
    es = entries(a.p)
    if a.limit:
        es = es[: a.limit]
    print("%d translation units, -j %d" % (len(es), a.j))

    def parse():
        def one(e):
            return subprocess.run(syntax_only_command(e, a.clangxx, a.floor_no_warnings), cwd=e["directory"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0
        with ThreadPoolExecutor(a.j) as pool:
            return sum(pool.map(one, es))

    def concur():
        r = subprocess.run([a.concur, "-p", a.p, "-j", str(a.j), "--quiet",
                            "--sarif=" + os.path.join(a.p, "concur-bench.sarif")]
                           + [e["file"] for e in es],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        warnings = sum(1 for l in r.stdout.splitlines() if ": warning: " in l)
        print("concur findings: %d (exit %d)" % (warnings, r.returncode))
        return 1 if r.returncode == 2 else 0

    _, base = measure("clang++ -fsyntax-only", parse)
    _, mine = measure("concur", concur)
    print("ratio concur / syntax-only (cpu): %.2fx" % (mine / base if base else float("nan")))


if __name__ == "__main__":
    sys.exit(main())
