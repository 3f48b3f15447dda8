#!/usr/bin/env python3
"""How concur's cost grows with the amount of code: synthetic translation
units of N classes (each with a mutex, guarded fields, a call chain of
helpers down to a blocking call, a recursive pair and a spawned lambda),
and one deep call graph of D functions with cycles. For each size it runs
clang++-22 -fsyntax-only and concur on the same file and prints the CPU
time of both and concur's own share (concur - parse) per unit of size;
linear growth keeps that share flat.

  tools/bench/scaling.py [--sizes 100,200,400,800,1600] [--depths 50,100,200,400]
                         [--out build/bench/scaling]
Writes scaling.json and scaling.svg into --out.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from svg_chart import bar_chart  # noqa: E402

PRELUDE = """#include <mutex>
#include <thread>
#include <vector>
#include <unistd.h>
"""

CLASS = """
namespace gen{i} {{
void chain{i}_{depth}() {{ usleep(1); }}
{chain}
int ping{i}(int n);
int pong{i}(int n) {{ return n <= 0 ? 0 : ping{i}(n - 1); }}
int ping{i}(int n) {{ return n <= 0 ? 0 : pong{i}(n - 1); }}
class Service{i} {{
  std::mutex mu_;
  int count_ = 0;
  std::vector<int> items_;
public:
  void add(int v) {{ std::lock_guard<std::mutex> g(mu_); items_.push_back(v); ++count_; }}
  int size() {{ std::lock_guard<std::mutex> g(mu_); return count_; }}
  void flush() {{ std::lock_guard<std::mutex> g(mu_); chain{i}_0(); }}
  int peek() {{ return count_; }}
  void spawn() {{ std::thread t([this] {{ add(ping{i}(3)); }}); t.join(); }}
}};
}} // namespace gen{i}
"""


def classes_tu(n, depth=4):
    parts = [PRELUDE]
    for i in range(n):
        chain = "\n".join("void chain%d_%d() { chain%d_%d(); }" % (i, d, i, d + 1)
                          for d in reversed(range(depth)))
        parts.append(CLASS.format(i=i, depth=depth, chain=chain))
    return "".join(parts)


def deep_tu(d):
    """A call graph of d functions: a chain with back edges every 10 (cycles),
    the last one blocking, the first called under a lock."""
    parts = [PRELUDE, "std::mutex mu;\n"]
    parts += ["void f%d(int);\n" % k for k in range(d)]
    for k in range(d):
        body = "usleep(1);" if k == d - 1 else "f%d(n - 1);" % (k + 1)
        if k % 10 == 9:
            body += " if (n > 1000) f%d(n - 2);" % (k - 9)
        parts.append("void f%d(int n) { if (n <= 0) return; %s }\n" % (k, body))
    parts.append("void entry() { std::lock_guard<std::mutex> g(mu); f0(%d); }\n" % d)
    return "".join(parts)


def cpu_of(argv):
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = p.stdout.read()
    _, _, ru = os.wait4(p.pid, 0)
    return ru.ru_utime + ru.ru_stime, out


def measure(path, concur, repeat):
    best_floor = best_concur = None
    findings = 0
    for _ in range(repeat):
        f, _ = cpu_of(["clang++-22", "-std=c++17", "-fsyntax-only", "-w", path])
        c, out = cpu_of([concur, "--quiet", path, "--", "-std=c++17"])
        findings = out.count(": warning: ")
        best_floor = f if best_floor is None else min(best_floor, f)
        best_concur = c if best_concur is None else min(best_concur, c)
    return best_floor, best_concur, findings


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,200,400,800,1600")
    ap.add_argument("--depths", default="50,100,200,400,800")
    ap.add_argument("--repeat", type=int, default=2, help="best of N runs")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "scaling"))
    ap.add_argument("--concur", default=os.path.join(ROOT, "build", "bin", "concur"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rows = []
    for kind, sizes, gen in (("classes", a.sizes, classes_tu), ("call-depth", a.depths, deep_tu)):
        for n in [int(x) for x in sizes.split(",")]:
            path = os.path.join(a.out, "%s-%d.cpp" % (kind, n))
            with open(path, "w") as f:
                f.write(gen(n))
            floor, mine, findings = measure(path, a.concur, a.repeat)
            own = max(mine - floor, 0.0)
            rows.append({"series": kind, "size": n, "floor_cpu": round(floor, 3),
                         "concur_cpu": round(mine, 3), "analysis_cpu": round(own, 3),
                         "analysis_ms_per_unit": round(1000 * own / n, 3),
                         "ratio": round(mine / floor, 2) if floor else None,
                         "findings": findings})
            print("%-10s %5d  floor %6.2f s  concur %6.2f s  ratio %.2fx  analysis %.2f ms/unit  findings %d" % (
                kind, n, floor, mine, rows[-1]["ratio"] or 0, rows[-1]["analysis_ms_per_unit"], findings), flush=True)
    with open(os.path.join(a.out, "scaling.json"), "w") as f:
        json.dump({"rows": rows}, f, indent=2)
    groups = [("%s %d" % (r["series"], r["size"]), [("concur / parse (CPU)", r["ratio"] or 0)]) for r in rows]
    with open(os.path.join(a.out, "scaling.svg"), "w") as f:
        f.write(bar_chart("concur CPU relative to the parse, by size", groups, reference_line=1.0, width=980))
    print("scaling: wrote %s/scaling.json and scaling.svg" % a.out)


if __name__ == "__main__":
    main()
