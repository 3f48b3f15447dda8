# Many lock-across findings in one file, with NOLINT comments and
# NOLINTBEGIN/END regions among them: every finding is resolved, counted
# and suppressed exactly as for one. The cost of this used to grow with the
# square of the findings (each one rescanned the whole file for NOLINT);
# tools/bench/findings_scaling.py measures it, this test checks the counts.
#
# RUN: rm -rf %t && mkdir -p %t
# RUN: %python %s %concur %t 4000 | FileCheck %s
import os
import subprocess
import sys

concur, tmp, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
src = os.path.join(tmp, "many.cpp")
with open(src, "w") as f:
    f.write("#include <mutex>\n#include <unistd.h>\nstd::mutex mu;\n")
    for i in range(n):
        if i % 100 == 0:
            f.write("// NOLINTBEGIN(concur-lock-across-blocking-call)\n")
        nolint = " // NOLINT" if i % 10 == 5 else ""
        f.write("void f%d() { std::lock_guard<std::mutex> g(mu); usleep(1); }%s\n"
                % (i, nolint))
        if i % 100 == 1:
            f.write("// NOLINTEND(concur-lock-across-blocking-call)\n")
p = subprocess.run([concur, "--sarif=" + os.path.join(tmp, "many.sarif"),
                    src, "--", "-std=c++17"],
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
warnings = sum(1 for l in p.stdout.splitlines() if ": warning: " in l)
print("exit", p.returncode, "reported", warnings)
print(p.stderr.strip())
# Of 4000: 400 with NOLINT, 80 in regions (i % 100 in {0, 1}; none of them
# has NOLINT): 3520 reported.
# CHECK: exit 1 reported 3520
# CHECK-NEXT: concur: 3520 findings, 480 suppressed in 1 file
