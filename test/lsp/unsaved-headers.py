# Unsaved text of every open document counts: a fix typed (not saved) into
# an open header changes what the .cpp that includes it reports, and the
# header, analysed on its own, reports the same. Saving a header analyses
# again the open documents that include it.
#
# RUN: rm -rf %t && cp -r %S/Inputs/project %t
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import sys
from lsp_client import Session, show

concur, root = sys.argv[1], sys.argv[2]

with Session([concur, "--lsp", "--lsp-debounce=0"], root) as s:
    s.initialize()
    s.open("workers.cpp")
    s.diagnostics("workers.cpp", version=1)
    s.open("shared.h")
    print("header open")
    show(s.diagnostics("shared.h", version=1)["diagnostics"])
    # CHECK-LABEL: header open
    # CHECK-NEXT: 7:5-9 concur-lock-across-blocking-call {{.*}} 'std::thread::join'

    # Unlock before join, in the editor only.
    v = s.change("shared.h", [(6, 2, 6, 2, "L.unlock();\n  ")])
    print("header fixed")
    show(s.diagnostics("shared.h", version=v)["diagnostics"])
    # The .cpp's analysis still holds the old header finding until it runs.
    # CHECK-LABEL: header fixed
    # CHECK-NEXT: 7:5-9 concur-lock-across-blocking-call

    v = s.change("workers.cpp", [(9, 0, 9, 0, "\n")])
    s.diagnostics("workers.cpp", version=v)
    print("cpp reanalysed")
    # The header's list is republished with the .cpp's, just before it.
    show(s.published("shared.h")[-1]["diagnostics"])
    # CHECK-LABEL: cpp reanalysed
    # CHECK-NEXT: (no diagnostics)
    with open(s.path("shared.h")) as f:
        print("disk unchanged", "L.unlock" not in f.read())
    # CHECK-NEXT: disk unchanged True

    # Undo in the editor and save: workers.cpp is analysed again without
    # being touched, and the header's finding is back.
    with open(s.path("shared.h")) as f:
        s.change("shared.h", f.read())
    s.save("shared.h")
    s.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
           and m["params"]["uri"].endswith("/workers.cpp"),
           "workers.cpp analysed again after the header was saved")
    print("header saved")
    show(s.published("shared.h")[-1]["diagnostics"])
    # CHECK-LABEL: header saved
    # CHECK-NEXT: 7:5-9 concur-lock-across-blocking-call
    s.shutdown_and_exit()
