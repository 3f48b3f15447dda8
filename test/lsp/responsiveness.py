# Staying responsive: a burst of edits is analysed once, for its last
# version; an analysis a newer edit makes stale is abandoned, never
# published; shutdown is answered while an analysis runs, and nothing is
# published after it.
#
# RUN: rm -rf %t && cp -r %S/Inputs/project %t
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import sys
from lsp_client import Session, show

concur, root = sys.argv[1], sys.argv[2]

# Debounce: ten edits in a row, well inside the (long, for the test) pause.
with Session([concur, "--lsp", "--lsp-debounce=3000"], root) as s:
    s.initialize()
    s.open("workers.cpp")
    s.diagnostics("workers.cpp", version=1)
    for i in range(10):
        v = s.change("workers.cpp", [(9, 0, 9, 0, "// %d\n" % i)])
    print("burst")
    show(s.diagnostics("workers.cpp", version=v)["diagnostics"])
    print("versions", [p["version"] for p in s.published("workers.cpp")])
    # CHECK-LABEL: burst
    # CHECK-NEXT: 21:3-30 concur-lock-across-blocking-call
    # CHECK: versions [1, 11]
    s.shutdown_and_exit()

# Stale: the edit arrives while the first analysis runs (it has announced
# its progress: it is building the preamble).
with Session([concur, "--lsp", "--lsp-debounce=0"], root) as s:
    s.initialize(capabilities={
        "window": {"workDoneProgress": True},
        "textDocument": {"publishDiagnostics": {"versionSupport": True}}})
    s.open("workers.cpp")
    s.notification("$/progress")  # begin
    v = s.change("workers.cpp", [(9, 0, 9, 0, "\n")])
    print("stale")
    show(s.diagnostics("workers.cpp", version=v)["diagnostics"])
    print("versions", [p["version"] for p in s.published("workers.cpp")])
    print("abandoned" if "abandoned the analysis of workers.cpp version 1"
          in s.log() else "version 1 was not abandoned")
    # CHECK-LABEL: stale
    # CHECK-NEXT: 12:3-30 concur-lock-across-blocking-call
    # CHECK: versions [2]
    # CHECK-NEXT: abandoned
    s.shutdown_and_exit()

# Shutdown while the first analysis runs: answered before any diagnostics,
# and the analysis is dropped.
with Session([concur, "--lsp"], root) as s:
    s.initialize()
    s.open("workers.cpp")
    rid = s.request("shutdown")
    s.response(rid)
    answered = len(s.published())
    s.notify("exit")
    status = s.proc.wait()
    print("shutdown answered after", answered, "publications; exit", status)
    # CHECK: shutdown answered after 0 publications; exit 0
