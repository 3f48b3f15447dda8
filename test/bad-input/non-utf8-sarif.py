# A byte that is no UTF-8 (Latin-1 'é') in the line of a finding (the SARIF
# snippet), in a file name, in --extra-arg and in --category: the SARIF is
# still written, valid UTF-8, with the byte replaced by U+FFFD; the exit
# status is the findings' (1). concur merge and --baseline read such logs
# and write them again.
#
# RUN: rm -rf %t && mkdir -p %t
# RUN: %python %s %concur %t | FileCheck %s
import json
import os
import subprocess
import sys

concur, tmp = sys.argv[1], sys.argv[2].encode()

BODY = (b"#include <mutex>\n#include <unistd.h>\nstd::mutex mu;\n"
        b"void f() {\n  std::lock_guard<std::mutex> g(mu);\n"
        b"  usleep(1); // caf\xe9\n}\n")


def run(args):
    p = subprocess.run([concur.encode()] + args, cwd=tmp,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stderr


def check(name, sarif):
    raw = open(os.path.join(tmp, sarif), "rb").read()
    log = json.loads(raw.decode("utf-8"))  # strict: fails on invalid UTF-8
    run0 = log["runs"][0]
    results = run0["results"]
    texts = json.dumps(log, ensure_ascii=False)
    print(name, "results=%d" % len(results), "replaced=%s" % ("\ufffd" in texts))


open(os.path.join(tmp, b"plain.cpp"), "wb").write(BODY)
open(os.path.join(tmp, b"caf\xe9.cpp"), "wb").write(BODY.replace(b"caf\xe9", b"cafe"))

rc, err = run([b"--quiet", b"--sarif=snippet.sarif", b"plain.cpp", b"--", b"-std=c++17"])
print("snippet exit", rc)
check("snippet", b"snippet.sarif")
# CHECK: snippet exit 1
# CHECK-NEXT: snippet results=1 replaced=True

rc, err = run([b"--quiet", b"--sarif=name.sarif", b"caf\xe9.cpp", b"--", b"-std=c++17"])
print("file name exit", rc)
check("file name", b"name.sarif")
# CHECK: file name exit 1
# CHECK-NEXT: file name results=1 replaced=True

rc, err = run([b"--quiet", b"--sarif=arg.sarif", b"--extra-arg=-DX=\xe9",
               b"--category=l\xe9", b"plain.cpp", b"--", b"-std=c++17"])
print("extra-arg and category exit", rc)
check("extra-arg and category", b"arg.sarif")
# CHECK: extra-arg and category exit 1
# CHECK-NEXT: extra-arg and category results=1 replaced=True

# A log holding raw Latin-1 (as another tool might write it) is refused
# with the file named, not a crash; our own logs merge and compare.
rc, err = run([b"merge", b"snippet.sarif", b"name.sarif", b"-o", b"all.sarif"])
print("merge exit", rc)
check("merge", b"all.sarif")
# CHECK: merge exit 0
# CHECK-NEXT: merge results=2 replaced=True
rc, err = run([b"--quiet", b"--baseline=name.sarif", b"--sarif=base.sarif",
               b"caf\xe9.cpp", b"--", b"-std=c++17"])
print("baseline exit", rc)
check("baseline", b"base.sarif")
# CHECK: baseline exit 0
# CHECK-NEXT: baseline results=1 replaced=True
raw = open(os.path.join(tmp, b"snippet.sarif"), "rb").read()
open(os.path.join(tmp, b"latin1.sarif"), "wb").write(
    raw.replace("\ufffd".encode(), b"\xe9"))
rc, err = run([b"merge", b"latin1.sarif", b"-o", b"x.sarif"])
print("latin-1 log exit", rc, err.decode("utf-8", "replace").strip())
# CHECK: latin-1 log exit 2 concur merge: error: latin1.sarif:{{[0-9]+}}: not valid JSON: {{.*}}UTF-8
