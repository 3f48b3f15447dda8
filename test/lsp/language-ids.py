# Which documents the server analyses: every language id editors send for C,
# C++, Objective-C and CUDA (VS Code's "cpp", Emacs eglot's "c++" named after
# c++-mode, ...), and for any other id the file's extension decides; a
# document that is not C or C++ by either is left alone, and says why in
# the log.
#
# RUN: rm -rf %t && cp -r %S/Inputs/project %t
# RUN: cp %t/workers.cpp %t/notes.txt
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import sys
from lsp_client import Session, show

concur, root = sys.argv[1], sys.argv[2]
with Session([concur, "--lsp", "--lsp-debounce=0"], root) as s:
    s.initialize()
    text = open(s.path("workers.cpp")).read()
    for language in ["c++", "cpp", "C++", "cuda-cpp", "objective-c++", "objcpp",
                     "", "plaintext", "some-editors-mode"]:
        s.open("workers.cpp", text, language=language)
        d = s.diagnostics("workers.cpp", version=1)
        print("language '%s':" % language, len(d["diagnostics"]), "finding(s)")
        s.close("workers.cpp")
        s.diagnostics("workers.cpp")  # cleared on close
    # CHECK: language 'c++': 1 finding(s)
    # CHECK-NEXT: language 'cpp': 1 finding(s)
    # CHECK-NEXT: language 'C++': 1 finding(s)
    # CHECK-NEXT: language 'cuda-cpp': 1 finding(s)
    # CHECK-NEXT: language 'objective-c++': 1 finding(s)
    # CHECK-NEXT: language 'objcpp': 1 finding(s)
    # CHECK-NEXT: language '': 1 finding(s)
    # CHECK-NEXT: language 'plaintext': 1 finding(s)
    # CHECK-NEXT: language 'some-editors-mode': 1 finding(s)

    # A text file with C++ in it, opened as text: not analysed, and the log
    # says why. Then a C++ file opened after it still is.
    s.open("notes.txt", language="plaintext")
    s.open("workers.cpp", text, language="c++")
    d = s.diagnostics("workers.cpp", version=1)
    print("after notes:", len(d["diagnostics"]), "finding(s)")
    print("notes published:", len(s.published("notes.txt")))
    # CHECK: after notes: 1 finding(s)
    # CHECK-NEXT: notes published: 0
    print([l for l in s.log().splitlines() if "notes.txt" in l])
    # CHECK-NEXT: ["concur-lsp: not analysing file://{{.*}}/notes.txt: language 'plaintext'"]
    print("exit", s.shutdown_and_exit())
    # CHECK: exit (None, 0)
