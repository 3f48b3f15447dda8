# Wrong JSON types in a baseline, in the logs given to concur merge and in
# a suppressions file, and nesting without end in a rules file: each is an
# error "file:line: what is wrong", exit 2; never a crash (exit 134, -6).
#
# RUN: rm -rf %t && mkdir -p %t
# RUN: %python %s %concur %t | FileCheck %s
import json
import os
import subprocess
import sys

concur, tmp = sys.argv[1], sys.argv[2]
SRC = os.path.join(tmp, "code.cpp")
with open(SRC, "w") as f:
    f.write("#include <mutex>\n#include <unistd.h>\nstd::mutex mu;\n"
            "void f() {\n  std::lock_guard<std::mutex> g(mu);\n  usleep(1);\n}\n")


def run(*args):
    p = subprocess.run([concur] + list(args), cwd=tmp, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stderr.replace(tmp + "/", "").strip()


def write(name, value, raw=False):
    with open(os.path.join(tmp, name), "w") as f:
        f.write(value if raw else json.dumps(value, indent=1))
    return name


rc, err = run("--quiet", "--sarif=good.sarif", "code.cpp", "--", "-std=c++17")
good = json.load(open(os.path.join(tmp, "good.sarif")))


def mutate(path, value):
    """A copy of the good log with the value at path (a list of keys)
    replaced."""
    log = json.loads(json.dumps(good))
    node = log
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return log


R = ["runs", 0, "results", 0]
BAD_LOGS = [
    ("version", ["version"], 2.1),
    ("runs", ["runs"], {"a": 1}),
    ("run", ["runs", 0], 5),
    ("tool", ["runs", 0, "tool"], 5),
    ("tool name", ["runs", 0, "tool", "driver", "name"], 7),
    ("results", ["runs", 0, "results"], 42),
    ("result", R, "x"),
    ("baselineState", R + ["baselineState"], 3),
    ("partialFingerprints", R + ["partialFingerprints"], "abc"),
    ("fingerprint", R + ["partialFingerprints", "concurFingerprint/v1"], 1),
    ("ruleId", R + ["ruleId"], []),
    ("locations", R + ["locations"], {}),
    ("startLine", R + ["locations", 0, "physicalLocation", "region",
                       "startLine"], "9"),
    ("rules", ["runs", 0, "tool", "driver", "rules"], 1),
    ("category", ["runs", 0, "automationDetails"], {"id": 1}),
    ("invocations", ["runs", 0, "invocations"], "x"),
]
for name, path, value in BAD_LOGS:
    f = write("bad.sarif", mutate(path, value))
    rc1, err1 = run("--quiet", "--baseline=" + f, "code.cpp", "--", "-std=c++17")
    rc2, err2 = run("merge", "good.sarif", f, "-o", "merged.sarif")
    print("log", name, rc1, err1, "|", rc2, err2)
# CHECK: log version 2 concur: error: --baseline: bad.sarif:3: not a SARIF 2.1.0 log ("version": "2.1.0") | 2 concur merge: error: bad.sarif:3: not a SARIF
# CHECK: log runs 2 concur: error: --baseline: bad.sarif:4: '/runs' must be an array | 2 concur merge: error: bad.sarif:4: '/runs' must be an array
# CHECK: log run 2 {{.*}}bad.sarif:5: '/runs/0' must be an object | 2 {{.*}}bad.sarif:5: '/runs/0' must be an object
# CHECK: log tool 2 {{.*}}bad.sarif:6: '/runs/0/tool' must be an object | 2 {{.*}}
# CHECK: log tool name 2 {{.*}}bad.sarif:{{[0-9]+}}: '/runs/0/tool/driver/name' must be a string | 2 {{.*}}must be a string
# CHECK: log results 2 {{.*}}'/runs/0/results' must be an array | 2 {{.*}}'/runs/0/results' must be an array
# CHECK: log result 2 {{.*}}'/runs/0/results/0' must be an object | 2
# CHECK: log baselineState 2 {{.*}}'/runs/0/results/0/baselineState' must be a string | 2
# CHECK: log partialFingerprints 2 {{.*}}'/runs/0/results/0/partialFingerprints' must be an object | 2
# CHECK: log fingerprint 2 {{.*}}'/runs/0/results/0/partialFingerprints/concurFingerprint/v1' must be a string | 2
# CHECK: log ruleId 2 {{.*}}'/runs/0/results/0/ruleId' must be a string | 2
# CHECK: log locations 2 {{.*}}'/runs/0/results/0/locations' must be an array | 2
# CHECK: log startLine 2 {{.*}}'/runs/0/results/0/locations/0/physicalLocation/region/startLine' must be an integer | 2
# CHECK: log rules 2 {{.*}}'/runs/0/tool/driver/rules' must be an array | 2
# CHECK: log category 2 {{.*}}'/runs/0/automationDetails/id' must be a string | 2
# CHECK: log invocations 2 {{.*}}'/runs/0/invocations' must be an array | 2

BAD_SUPPRESSIONS = [
    ("format", {"format": 5, "version": 1, "suppressions": []}),
    ("version", {"format": "concur-suppressions", "version": "1",
                 "suppressions": []}),
    ("list", {"format": "concur-suppressions", "version": 1,
              "suppressions": {"rule": "x"}}),
    ("entry", {"format": "concur-suppressions", "version": 1,
               "suppressions": [3]}),
    ("field", {"format": "concur-suppressions", "version": 1,
               "suppressions": [{"path": 3, "justification": "j"}]}),
    ("top", [1, 2]),
]
for name, value in BAD_SUPPRESSIONS:
    f = write("s.json", value)
    rc, err = run("--quiet", "--suppressions=" + f, "code.cpp", "--", "-std=c++17")
    print("suppressions", name, rc, err)
# CHECK: suppressions format 2 concur: error: s.json:2: expected {"format": "concur-suppressions"
# CHECK: suppressions version 2 concur: error: s.json:3: 'version' must be 1
# CHECK: suppressions list 2 concur: error: s.json:4: 'suppressions' must be an array of entries
# CHECK: suppressions entry 2 concur: error: s.json:5: an entry must be an object
# CHECK: suppressions field 2 concur: error: s.json:6: 'path' must be a string
# CHECK: suppressions top 2 concur: error: s.json:1: expected {"format"

# Nested 50,000 deep: refused before anything walks it, in every reader.
deep = "[" * 50000 + "]" * 50000
for name, args in [
        ("rules", ["--rules=deep.json", "code.cpp", "--", "-std=c++17"]),
        ("suppressions", ["--suppressions=deep.json", "code.cpp", "--", "-std=c++17"]),
        ("baseline", ["--baseline=deep.json", "code.cpp", "--", "-std=c++17"]),
        ("merge", ["merge", "deep.json"])]:
    write("deep.json", '{"format": "concur-rules", "version": 1, "types": ' + deep + "}",
          raw=True)
    rc, err = run("--quiet", *args) if name != "merge" else run(*args)
    print("deep", name, rc, err)
# CHECK: deep rules 2 concur: error: deep.json:1: arrays and objects nested more than 100 deep
# CHECK: deep suppressions 2 concur: error: deep.json:1: arrays and objects nested more than 100 deep
# CHECK: deep baseline 2 concur: error: --baseline: deep.json:1: arrays and objects nested more than 100 deep
# CHECK: deep merge 2 concur merge: error: deep.json:1: arrays and objects nested more than 100 deep

# A number too large for a double is no crash either (found by fuzz-compile-db).
write("huge.json", '{"format": "concur-rules", "version": 1e999}', raw=True)
for name, args in [
        ("rules", ["--quiet", "--rules=huge.json", "code.cpp", "--", "-std=c++17"]),
        ("suppressions", ["--quiet", "--suppressions=huge.json", "code.cpp", "--", "-std=c++17"]),
        ("merge", ["merge", "huge.json"])]:
    rc, err = run(*args)
    print("huge", name, rc, err)
# CHECK: huge rules 2 concur: error: huge.json: invalid JSON: {{.*}}number overflow
# CHECK: huge suppressions 2 concur: error: huge.json:1: not valid JSON: {{.*}}number overflow
# CHECK: huge merge 2 concur merge: error: huge.json:1: not valid JSON: {{.*}}number overflow
