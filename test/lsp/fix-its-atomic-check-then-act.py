# concur-atomic-check-then-act's fix-its as LSP quick fixes: the fetch_add
# rewrite is one edit, the test-and-set rewrite two (the test becomes
# exchange(true), the store goes). Applied, each clears its finding.
#
# RUN: rm -rf %t && mkdir -p %t && cp %S/../checks/atomic-check-then-act/fixit.cpp %t/fixit.cpp
# RUN: printf '[{"directory": "%t", "file": "fixit.cpp", "arguments": ["clang++", "-std=c++20", "fixit.cpp"]}]' > %t/compile_commands.json
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import sys
from lsp_client import Session, uri

concur, root = sys.argv[1], sys.argv[2]
CHECK = "concur-atomic-check-then-act"


def actions(s, d):
    return s.call("textDocument/codeAction", {
        "textDocument": {"uri": uri(s.path("fixit.cpp"))},
        "range": d["range"], "context": {"diagnostics": [d]}})["result"]


def at_line(diags, line):
    return [d for d in diags if d["range"]["start"]["line"] + 1 == line][0]


def apply(s, action):
    (_, edits), = action["edit"]["changes"].items()
    # Later edits first, so that the earlier ranges stay valid.
    edits = sorted(edits, key=lambda e: (e["range"]["start"]["line"],
                                         e["range"]["start"]["character"]),
                   reverse=True)
    return s.change("fixit.cpp", [(e["range"]["start"]["line"], e["range"]["start"]["character"],
                                   e["range"]["end"]["line"], e["range"]["end"]["character"],
                                   e["newText"]) for e in edits])


with Session([concur, "--lsp", "--lsp-debounce=0", "--checks=-*," + CHECK], root) as s:
    s.initialize()
    s.open("fixit.cpp")
    diags = s.diagnostics("fixit.cpp", version=1)["diagnostics"]
    print("findings", len(diags), "with a fix-it", len([d for d in diags if "data" in d]))
    # CHECK: findings 14 with a fix-it 6

    # `total.store(total.load() + 5);` on line 26
    found = actions(s, at_line(diags, 26))
    print(found[0]["title"], found[0].get("isPreferred", False))
    # CHECK-NEXT: Apply concur's fix for concur-atomic-check-then-act True
    (_, edits), = found[0]["edit"]["changes"].items()
    print("edits", [e["newText"] for e in edits])
    # CHECK-NEXT: edits ['total.fetch_add(5)']

    # `if (!once) { once = true; ...` : the store on line 52
    once = actions(s, at_line(diags, 52))[0]
    (_, edits), = once["edit"]["changes"].items()
    print("edits", sorted((e["range"]["start"]["line"] + 1, e["newText"]) for e in edits))
    # CHECK-NEXT: edits [(51, 'once.exchange(true)'), (52, '')]
    v = apply(s, once)
    after = s.diagnostics("fixit.cpp", version=v)["diagnostics"]
    print("after", len(diags) - len(after), "fewer")
    # CHECK-NEXT: after 1 fewer
    print("exit", s.shutdown_and_exit())
    # CHECK: exit (None, 0)
