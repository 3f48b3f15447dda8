# Positions: UTF-16 code units by default, UTF-8 bytes when the client
# offers utf-8. Before the finding on line 9 are two spaces and "/* " (5),
# e-acute (2 bytes, 1 unit), the euro sign (3 bytes, 1 unit), an emoji (4
# bytes, 2 units) and " */ " (4): the call starts at UTF-16 character 13
# and UTF-8 byte 18. Incremental edits are read in the same encoding.
#
# RUN: rm -rf %t && mkdir %t && cp %S/Inputs/wide.cpp %t/ && echo "-std=c++20" > %t/compile_flags.txt
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import sys
from lsp_client import Session, show

concur, root = sys.argv[1], sys.argv[2]

for encodings in (None, ["utf-8", "utf-16"]):
    with Session([concur, "--lsp", "--lsp-debounce=0"], root) as s:
        init = s.initialize(encodings=encodings)
        print("encoding", init["result"]["capabilities"]["positionEncoding"])
        s.open("wide.cpp")
        show(s.diagnostics("wide.cpp", version=1)["diagnostics"])
        # Insert "x(); " right after the emoji's comment, where the call
        # starts: the call moves right by 5 in either encoding.
        at = 13 if encodings is None else 18
        v = s.change("wide.cpp", [(8, at, 8, at, "x(); ")])
        s.change("wide.cpp", [(6, 0, 6, 0, "void x();\n")])
        show(s.diagnostics("wide.cpp", version=v + 1)["diagnostics"])
        s.shutdown_and_exit()
# CHECK: encoding utf-16
# CHECK-NEXT: 9:14-41 concur-lock-across-blocking-call
# CHECK-NEXT:   related wide.cpp:8:31
# CHECK-NEXT: 10:19-46 concur-lock-across-blocking-call
# CHECK: encoding utf-8
# CHECK-NEXT: 9:19-46 concur-lock-across-blocking-call
# CHECK-NEXT:   related wide.cpp:8:31
# CHECK-NEXT: 10:24-51 concur-lock-across-blocking-call
