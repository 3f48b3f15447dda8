# File URIs are percent-decoded to find the file and encoded the usual way
# (RFC 3986 unreserved characters and '/' stay) for headers the editor has
# not opened: a project in a directory with a space and a plus.
#
# RUN: rm -rf "%t" && mkdir -p "%t" && cp -r %S/Inputs/project "%t/my project+x"
# RUN: env PYTHONPATH=%tools %python %s %concur "%t/my project+x" | FileCheck %s
import sys
from lsp_client import Session, show

concur, root = sys.argv[1], sys.argv[2]
with Session([concur, "--lsp", "--lsp-debounce=0"], root) as s:
    s.initialize()
    s.open("workers.cpp")
    d = s.diagnostics("workers.cpp", version=1)
    print("uri", d["uri"].split("/")[-2:])
    show(d["diagnostics"])
    # CHECK: uri ['my%20project%2Bx', 'workers.cpp']
    # CHECK-NEXT: 11:3-30 concur-lock-across-blocking-call
    h = s.diagnostics("shared.h")
    print("header", h["uri"].split("/")[-2:])
    show(h["diagnostics"])
    # CHECK: header ['my%20project%2Bx', 'shared.h']
    # CHECK-NEXT: 7:5-9 concur-lock-across-blocking-call
    s.shutdown_and_exit()
