# Where compile flags come from: compile_flags.txt beside the file (its
# -D changes what is analysed); compile_commands.json in the build/ folder
# of a parent; a build directory named by
# initializationOptions.compilationDatabasePath; with none, fallback flags
# and one window/showMessage for the whole session.
#
# RUN: rm -rf %t && mkdir -p %t/flags %t/db/src %t/db/build
# RUN: cp %S/Inputs/guarded.cpp %t/flags/ && echo "-std=c++20" > %t/flags/compile_flags.txt && echo "-DSLEEP_UNDER_LOCK" >> %t/flags/compile_flags.txt
# RUN: cp %S/Inputs/guarded.cpp %t/db/src/
# RUN: echo '[{"directory": "%t/db/build", "file": "%t/db/src/guarded.cpp", "command": "clang++ -std=c++20 -DSLEEP_UNDER_LOCK -c %t/db/src/guarded.cpp"}]' > %t/db/build/compile_commands.json
# RUN: mkdir -p %t/nested/src %t/nested/build && cp %S/Inputs/guarded.cpp %t/nested/src/
# RUN: echo '[{"directory": "%t/nested/build", "file": "%t/nested/src/guarded.cpp", "command": "clang++ -std=c++20 -DSLEEP_UNDER_LOCK -c %t/nested/src/guarded.cpp"}]' > %t/nested/build/compile_commands.json
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import os
import shutil
import sys
import tempfile
from lsp_client import Session, show

concur, root = sys.argv[1], sys.argv[2]
# The build tree has a compile_commands.json that every directory below it
# would find: the files without flags live outside it.
none = tempfile.mkdtemp(prefix="concur-lsp-noflags-")
for name in ("a.cpp", "b.cpp"):
    shutil.copy(os.path.join(os.path.dirname(__file__), "Inputs", "guarded.cpp"),
                os.path.join(none, name))

with Session([concur, "--lsp"], root + "/flags") as s:
    s.initialize()
    s.open("guarded.cpp")
    print("compile_flags.txt")
    show(s.diagnostics("guarded.cpp", version=1)["diagnostics"])
    # CHECK-LABEL: compile_flags.txt
    # CHECK-NEXT: 10:3-30 concur-lock-across-blocking-call
    print("messages", len([m for m in s.seen if m.get("method") == "window/showMessage"]))
    # CHECK: messages 0
    s.shutdown_and_exit()

with Session([concur, "--lsp"], none) as s:
    s.initialize()
    s.open("a.cpp")
    s.open("b.cpp")
    print("fallback")
    show(s.diagnostics("a.cpp", version=1)["diagnostics"])
    show(s.diagnostics("b.cpp", version=1)["diagnostics"])
    # Without -DSLEEP_UNDER_LOCK the sleep happens after the unlock.
    # CHECK-LABEL: fallback
    # CHECK-NEXT: (no diagnostics)
    # CHECK-NEXT: (no diagnostics)
    shown = [m["params"] for m in s.seen if m.get("method") == "window/showMessage"]
    print("messages", len(shown), shown[0]["type"], shown[0]["message"])
    # CHECK-NEXT: messages 1 2 concur: no compile_commands.json or compile_flags.txt found for {{.*}}a.cpp or its parent directories; analysing with fallback flags: -xc++ -std=c++20
    s.shutdown_and_exit()
shutil.rmtree(none)

with Session([concur, "--lsp"], root + "/nested") as s:
    s.initialize()
    s.open("src/guarded.cpp")
    print("from-parent-build")
    show(s.diagnostics("src/guarded.cpp", version=1)["diagnostics"])
    # CHECK-LABEL: from-parent-build
    # CHECK-NEXT: 10:3-30 concur-lock-across-blocking-call
    s.shutdown_and_exit()

with Session([concur, "--lsp"], root + "/db") as s:
    s.initialize(options={"compilationDatabasePath": "build"})
    s.open("src/guarded.cpp")
    print("from-build-dir")
    show(s.diagnostics("src/guarded.cpp", version=1)["diagnostics"])
    # CHECK-LABEL: from-build-dir
    # CHECK-NEXT: 10:3-30 concur-lock-across-blocking-call
    s.shutdown_and_exit()

with Session([concur, "--lsp"], root + "/db") as s:
    s.initialize(options={"compilationDatabasePath": "missing"})
    msg = s.notification("window/showMessage")
    print("missing", msg["type"], msg["message"])
    # CHECK: missing 1 concur: cannot load the compilation database in '{{.*}}missing'
    s.shutdown_and_exit()
