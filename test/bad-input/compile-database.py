# A bad entry of a compilation database is one failed file, named, and the
# run goes on: every other file's findings and the SARIF are written, and
# the exit status is 2 at the end. A database that is not JSON (truncated)
# is an error naming its file and line; a symbolic link loop is named so.
#
# RUN: rm -rf %t && mkdir -p %t
# RUN: %python %s %concur %t | FileCheck %s
import json
import os
import subprocess
import sys

concur, tmp = sys.argv[1], sys.argv[2]
GOOD = ("#include <mutex>\n#include <unistd.h>\nstd::mutex mu;\n"
        "void f() {\n  std::lock_guard<std::mutex> g(mu);\n  usleep(1);\n}\n")


def write(name, text):
    path = os.path.join(tmp, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def run(*args):
    p = subprocess.run([concur] + list(args), cwd=tmp, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr


def sarif_facts(path):
    log = json.load(open(path))
    run0 = log["runs"][0]
    inv = run0["invocations"][0]
    notes = [n["message"]["text"].replace(tmp, "TMP")
             for n in inv.get("toolExecutionNotifications", [])]
    return len(run0["results"]), inv["executionSuccessful"], notes


def entry(name, directory=None, command=None, arguments=None):
    e = {"directory": directory or tmp, "file": os.path.join(tmp, name)}
    if arguments is not None:
        e["arguments"] = arguments
    else:
        e["command"] = ("clang++ -std=c++17 -c " + os.path.join(tmp, name)
                        if command is None else command)
    return e


for n in ["good.cpp", "nodir.cpp", "quote.cpp", "empty.cpp", "noargs.cpp"]:
    write(n, GOOD)
db = [entry("good.cpp"),
      entry("nodir.cpp", directory=os.path.join(tmp, "gone")),
      entry("quote.cpp", command='clang++ "-std=c++17 -c quote.cpp'),
      entry("empty.cpp", command=""),
      entry("noargs.cpp", arguments=[])]
write("build/compile_commands.json", json.dumps(db, indent=1))

rc, out, err = run("-p", "build", "--sarif=all.sarif", "-j", "1")
print("exit", rc)
for line in out.replace(tmp, "TMP").splitlines():
    if "warning:" in line:
        print(line)
for line in sorted(err.replace(tmp, "TMP").splitlines()):
    print(line)
print("sarif", *sarif_facts(os.path.join(tmp, "all.sarif")))
# CHECK-LABEL: exit 2
# CHECK-NEXT: TMP/good.cpp:6:3: warning: call to 'usleep' blocks
# CHECK-NEXT: concur: 1 finding in 5 files, 4 not analysed cleanly
# CHECK-NEXT: concur: error: cannot analyse 'TMP/empty.cpp': build/compile_commands.json:17: its 'command' is empty
# CHECK-NEXT: concur: error: cannot analyse 'TMP/noargs.cpp': build/compile_commands.json:22: its 'arguments' are empty
# CHECK-NEXT: concur: error: cannot analyse 'TMP/nodir.cpp': build/compile_commands.json:7: its directory 'TMP/gone' does not exist
# CHECK-NEXT: concur: error: cannot analyse 'TMP/quote.cpp': build/compile_commands.json:12: its 'command' has an unbalanced quote
# CHECK-NEXT: sarif 1 False ["TMP/empty.cpp: build/compile_commands.json:17: its 'command' is empty", "TMP/noargs.cpp: {{.*}}", "TMP/nodir.cpp: {{.*}} does not exist", "TMP/quote.cpp: {{.*}} unbalanced quote"]

# The same files named on the command line, the database found beside them.
write("compile_commands.json", json.dumps(db, indent=1))
rc, out, err = run("--quiet", "good.cpp", "nodir.cpp")
print("found exit", rc, len([l for l in out.splitlines() if "warning:" in l]))
print(err.replace(tmp, "TMP").strip())
# CHECK-LABEL: found exit 2 1
# CHECK-NEXT: concur: error: cannot analyse 'TMP/nodir.cpp': TMP/compile_commands.json:7: its directory 'TMP/gone' does not exist

# A truncated database: an error naming the file and the line, nothing
# analysed with guessed flags.
text = json.dumps(db, indent=1)
write("build/compile_commands.json", text[:len(text) // 2])
rc, out, err = run("-p", "build", "--quiet")
print("truncated -p exit", rc, err.replace(tmp, "TMP").strip())
# CHECK: truncated -p exit 2 concur: error: cannot load the compilation database in 'build': build/compile_commands.json:{{[0-9]+}}: not valid JSON: syntax error while parsing {{.*}}
write("compile_commands.json", text[:len(text) // 2])
rc, out, err = run("--quiet", "good.cpp")
print("truncated found exit", rc, err.replace(tmp, "TMP").strip())
# CHECK: truncated found exit 2 concur: error: cannot analyse 'TMP/good.cpp': TMP/compile_commands.json:{{[0-9]+}}: not valid JSON
write("compile_commands.json", json.dumps([{"directory": tmp, "file": 5}]))
rc, out, err = run("--quiet", "good.cpp")
print("wrong type exit", rc, err.replace(tmp, "TMP").strip())
# CHECK: wrong type exit 2 concur: error: cannot analyse 'TMP/good.cpp': TMP/compile_commands.json:1: '/0/file' must be a string
write("compile_commands.json", '[{"directory": 1e999}]')
rc, out, err = run("--quiet", "good.cpp")
print("huge number exit", rc, err.replace(tmp, "TMP").strip())
# CHECK: huge number exit 2 concur: error: cannot analyse 'TMP/good.cpp': TMP/compile_commands.json:1: not valid JSON: {{.*}}number overflow
os.remove(os.path.join(tmp, "compile_commands.json"))

# Symbolic link loops: a source file, and a compile_commands.json.
os.symlink("loop-b.cpp", os.path.join(tmp, "loop-a.cpp"))
os.symlink("loop-a.cpp", os.path.join(tmp, "loop-b.cpp"))
rc, out, err = run("--quiet", "loop-a.cpp", "good.cpp", "--", "-std=c++17")
print("loop exit", rc, len([l for l in out.splitlines() if "warning:" in l]), err.replace(tmp, "TMP").strip())
# CHECK: loop exit 2 1 concur: error: a symbolic link loop: 'TMP/loop-a.cpp'
os.makedirs(os.path.join(tmp, "loopdb"))
os.symlink("compile_commands.json", os.path.join(tmp, "loopdb", "compile_commands.json"))
rc, out, err = run("--quiet", "-p", "loopdb")
print("loop db exit", rc, err.replace(tmp, "TMP").strip())
# CHECK: loop db exit 2 concur: error: cannot load the compilation database in 'loopdb': loopdb/compile_commands.json: cannot read: Too many levels of symbolic links
