# A finding with a fix-it (concur-nonatomic-flag's std::atomic<T>) carries it
# in the diagnostic's `data`; the code action request, which hands the
# diagnostic back, gets it first as a preferred quick fix, before the NOLINT
# ones. Applied, it clears the finding. A finding without a fix-it, and a
# `data` the client garbled, get only the NOLINT actions.
#
# RUN: rm -rf %t && mkdir -p %t && cp %S/../checks/nonatomic-flag/fixit.cpp %t/fixit.cpp
# RUN: printf '[{"directory": "%t", "file": "fixit.cpp", "arguments": ["clang++", "-std=c++20", "fixit.cpp"]}]' > %t/compile_commands.json
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import sys
from lsp_client import Session, uri

concur, root = sys.argv[1], sys.argv[2]


def actions(s, diags):
    return s.call("textDocument/codeAction", {
        "textDocument": {"uri": uri(s.path("fixit.cpp"))},
        "range": diags[0]["range"], "context": {"diagnostics": diags}})["result"]


with Session([concur, "--lsp", "--lsp-debounce=0", "--checks=concur-nonatomic-flag"],
             root) as s:
    s.initialize()
    s.open("fixit.cpp")
    diags = s.diagnostics("fixit.cpp", version=1)["diagnostics"]
    with_fix = [d for d in diags if "data" in d]
    without = [d for d in diags if "data" not in d]
    print("findings", len(diags), "with a fix-it", len(with_fix))
    # CHECK: findings {{[3-9]}} with a fix-it 2
    d = with_fix[0]
    found = actions(s, [d])
    for a in found:
        print(a["title"], a.get("isPreferred", False))
    # CHECK-NEXT: Apply concur's fix for concur-nonatomic-flag True
    # CHECK-NEXT: Suppress concur-nonatomic-flag on this line (NOLINT) False
    # CHECK-NEXT: Suppress concur-nonatomic-flag on the next line (NOLINTNEXTLINE) False
    edit = list(found[0]["edit"]["changes"].items())
    (target, edits), = edit
    e = edits[0]
    print("edit", target.endswith("/fixit.cpp"), e["range"]["start"]["line"] + 1,
          e["range"]["start"]["character"] + 1, e["range"]["end"]["character"] + 1,
          e["newText"])
    # CHECK-NEXT: edit True 23 3 7 std::atomic<bool>

    print("without", [a["title"].split(" on ")[0] for a in actions(s, without[:1])])
    # CHECK-NEXT: without ['Suppress concur-nonatomic-flag', 'Suppress concur-nonatomic-flag']
    garbled = dict(d, data={"fixes": [{"uri": 5}]})
    print("garbled", [a["title"].split(" on ")[0] for a in actions(s, [garbled])])
    # CHECK-NEXT: garbled ['Suppress concur-nonatomic-flag', 'Suppress concur-nonatomic-flag']

    # The client applies the edit: the finding it fixed is gone.
    v = s.change("fixit.cpp", [(e["range"]["start"]["line"], e["range"]["start"]["character"],
                                e["range"]["end"]["line"], e["range"]["end"]["character"],
                                e["newText"])])
    after = s.diagnostics("fixit.cpp", version=v)["diagnostics"]
    print("after", len(diags) - len(after), "fewer",
          any("'stop_'" in x["message"] for x in after))
    # CHECK-NEXT: after {{[1-9]}} fewer False
    print("exit", s.shutdown_and_exit())
    # CHECK: exit (None, 0)
