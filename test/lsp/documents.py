# The life of a document: diagnostics for the unsaved text on open, moved by
# an edit, gone when the bug is fixed, back after undo, refreshed on save,
# cleared on close; a header's finding is published for the header's URI.
#
# RUN: rm -rf %t && cp -r %S/Inputs/project %t
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import sys
from lsp_client import Session, show

concur, root = sys.argv[1], sys.argv[2]
with Session([concur, "--lsp", "--lsp-debounce=0"], root) as s:
    init = s.initialize()
    print("sync", init["result"]["capabilities"]["textDocumentSync"])
    print("encoding", init["result"]["capabilities"]["positionEncoding"])
    # CHECK: sync {'change': 2, 'openClose': True, 'save': {'includeText': False}}
    # CHECK: encoding utf-16

    text = open(s.path("workers.cpp")).read()
    s.open("workers.cpp", text)
    d = s.diagnostics("workers.cpp", version=1)
    print("open v1")
    show(d["diagnostics"])
    # CHECK-LABEL: open v1
    # CHECK-NEXT: 11:3-30 concur-lock-across-blocking-call (concur, 2) call to 'std::this_thread::sleep_for' blocks until its timeout while holding lock 'Mu'
    # CHECK-NEXT:   related workers.cpp:10:31 lock 'Mu' acquired here
    # CHECK-NEXT: open v1 href https://{{.*}}/docs/checks/lock-across-blocking-call.md
    print("open v1 href", d["diagnostics"][0]["codeDescription"]["href"])

    h = s.diagnostics("shared.h")
    print("header")
    show(h["diagnostics"])
    # CHECK-LABEL: header
    # CHECK-NEXT: 7:5-9 concur-lock-across-blocking-call (concur, 2) call to 'std::thread::join' blocks while holding lock 'Mu'
    # CHECK-NEXT:   related shared.h:6:32 lock 'Mu' acquired here

    # Three lines inserted inside the first function: the finding and its
    # note move down by three.
    v = s.change("workers.cpp", [(9, 0, 9, 0, "  // a\n  // b\n  // c\n")])
    print("insert", v)
    show(s.diagnostics("workers.cpp", version=v)["diagnostics"])
    # CHECK-LABEL: insert 2
    # CHECK-NEXT: 14:3-30 concur-lock-across-blocking-call {{.*}} 'std::this_thread::sleep_for'
    # CHECK-NEXT:   related workers.cpp:13:31 lock 'Mu' acquired here

    # Unlock before sleeping (an edit inside a line): no finding left,
    # though the file on disk still has the bug.
    v = s.change("workers.cpp", [(13, 2, 13, 2, "Mu.unlock(); ")])
    print("fixed", v)
    show(s.diagnostics("workers.cpp", version=v)["diagnostics"])
    # CHECK-LABEL: fixed 3
    # CHECK-NEXT: (no diagnostics)

    # Whole-text change back to the original; then save.
    v = s.change("workers.cpp", text)
    print("full", v)
    show(s.diagnostics("workers.cpp", version=v)["diagnostics"])
    # CHECK-LABEL: full 4
    # CHECK-NEXT: 11:3-30 concur-lock-across-blocking-call
    s.save("workers.cpp")
    print("saved")
    show(s.diagnostics("workers.cpp", version=v)["diagnostics"])
    # CHECK-LABEL: saved
    # CHECK-NEXT: 11:3-30 concur-lock-across-blocking-call

    s.close("workers.cpp")
    print("closed")
    show(s.diagnostics("workers.cpp")["diagnostics"])
    # CHECK-LABEL: closed
    # CHECK-NEXT: (no diagnostics)
    # The header's finding came from workers.cpp, which is closed now.
    show(s.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"].endswith("shared.h")
                and not m["params"]["diagnostics"],
                "the header cleared")["params"]["diagnostics"])
    # CHECK-NEXT: (no diagnostics)

    result, status = s.shutdown_and_exit()
    print("shutdown", result, "exit", status)
    # CHECK: shutdown None exit 0
