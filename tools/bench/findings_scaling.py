#!/usr/bin/env python3
"""How concur's time grows with the number of findings in one file.

    tools/bench/findings_scaling.py [--concur build/bin/concur] [--sizes 2500,5000,10000,20000]

Generates one translation unit of N functions, each holding a lock across
usleep() (N lock-across findings, a tenth of them NOLINT-suppressed), and
times `clang++-22 -fsyntax-only` (the parse) and concur on it. With cost
linear in the findings, concur/parse stays flat as N doubles; a quadratic
step shows as a ratio that doubles with N.
"""
import argparse
import os
import subprocess
import tempfile
import time


def generate(path, n):
    with open(path, "w") as f:
        f.write("#include <mutex>\n#include <unistd.h>\nstd::mutex mu;\n")
        for i in range(n):
            nolint = " // NOLINT" if i % 10 == 5 else ""
            f.write("void f%d() { std::lock_guard<std::mutex> g(mu); usleep(1); }%s\n"
                    % (i, nolint))


def timed(cmd):
    start = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser()
    ap.add_argument("--concur", default=os.path.join(root, "build", "bin", "concur"))
    ap.add_argument("--sizes", default="2500,5000,10000,20000")
    args = ap.parse_args()
    print("%8s %10s %10s %8s" % ("findings", "parse s", "concur s", "ratio"))
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(s) for s in args.sizes.split(",")]:
            src = os.path.join(tmp, "many.cpp")
            generate(src, n)
            parse = timed(["clang++-22", "-std=c++17", "-fsyntax-only", src])
            concur = timed([args.concur, "--quiet", "--sarif=" + os.path.join(tmp, "o.sarif"),
                            src, "--", "-std=c++17"])
            print("%8d %10.2f %10.2f %8.2f" % (n, parse, concur, concur / parse))


if __name__ == "__main__":
    main()
