# Quick fixes: for every concur diagnostic the server offers two actions that
# suppress it where it is, a NOLINT(check) on its line and a
# NOLINTNEXTLINE(check) line above it, indented as the line; applying either
# clears the diagnostic. A NOLINT list already on the line gets the check
# added; a macro's continued line gets no action (a comment would end the
# macro); other servers' diagnostics and requests for other kinds get none.
#
# RUN: rm -rf %t && cp -r %S/Inputs/project %t
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import sys
from lsp_client import Session, show, uri

concur, root = sys.argv[1], sys.argv[2]


def actions(s, name, diags, only=None):
    context = {"diagnostics": diags}
    if only is not None:
        context["only"] = only
    r = s.call("textDocument/codeAction", {
        "textDocument": {"uri": uri(s.path(name))},
        "range": diags[0]["range"] if diags else
        {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "context": context})
    return r["result"]


def describe(action):
    edits = list(action["edit"]["changes"].values())[0]
    e = edits[0]
    st = e["range"]["start"]
    return "%s [%s] @%d:%d %r" % (action["title"], action["kind"],
                                  st["line"] + 1, st["character"] + 1,
                                  e["newText"])


def apply(s, name, action):
    edits = list(action["edit"]["changes"].values())[0]
    return s.change(name, [(e["range"]["start"]["line"],
                            e["range"]["start"]["character"],
                            e["range"]["end"]["line"],
                            e["range"]["end"]["character"], e["newText"])
                           for e in edits])


with Session([concur, "--lsp", "--lsp-debounce=0"], root) as s:
    init = s.initialize()
    print("provider", init["result"]["capabilities"]["codeActionProvider"])
    # CHECK: provider {'codeActionKinds': ['quickfix']}

    text = open(s.path("workers.cpp")).read()
    s.open("workers.cpp", text)
    diags = s.diagnostics("workers.cpp", version=1)["diagnostics"]
    show(diags)
    # CHECK: 11:3-30 concur-lock-across-blocking-call
    found = actions(s, "workers.cpp", diags)
    for a in found:
        print(describe(a), "for", a["diagnostics"][0]["code"])
    # CHECK: Suppress concur-lock-across-blocking-call on this line (NOLINT) [quickfix] @11:62 '  // NOLINT(concur-lock-across-blocking-call)' for concur-lock-across-blocking-call
    # CHECK-NEXT: Suppress concur-lock-across-blocking-call on the next line (NOLINTNEXTLINE) [quickfix] @11:1 '  // NOLINTNEXTLINE(concur-lock-across-blocking-call)\n' for concur-lock-across-blocking-call

    # Each action, applied, clears the diagnostic.
    v = apply(s, "workers.cpp", found[0])
    print("after NOLINT:", len(s.diagnostics("workers.cpp", version=v)["diagnostics"]))
    # CHECK: after NOLINT: 0
    v = s.change("workers.cpp", text)
    s.diagnostics("workers.cpp", version=v)
    v = apply(s, "workers.cpp", found[1])
    print("after NOLINTNEXTLINE:", len(s.diagnostics("workers.cpp", version=v)["diagnostics"]))
    # CHECK: after NOLINTNEXTLINE: 0

    # A NOLINT list for another check already on the line: the check joins it.
    lines = text.split("\n")
    lines[10] += "  // NOLINT(bugprone-unused-return-value)"
    v = s.change("workers.cpp", "\n".join(lines))
    diags = s.diagnostics("workers.cpp", version=v)["diagnostics"]
    found = actions(s, "workers.cpp", diags)
    print(describe(found[0]))
    # CHECK: Suppress concur-lock-across-blocking-call on this line (NOLINT) [quickfix] @11:102 ', concur-lock-across-blocking-call'
    v = apply(s, "workers.cpp", found[0])
    print("after joining the list:", len(s.diagnostics("workers.cpp", version=v)["diagnostics"]))
    # CHECK: after joining the list: 0

    # Only other kinds asked for, or another server's diagnostic: nothing.
    v = s.change("workers.cpp", text)
    diags = s.diagnostics("workers.cpp", version=v)["diagnostics"]
    print("only refactor:", actions(s, "workers.cpp", diags, only=["refactor"]))
    # CHECK: only refactor: []
    other = dict(diags[0], source="clangd", code="unused-includes")
    print("clangd's:", actions(s, "workers.cpp", [other]))
    # CHECK: clangd's: []

    # A finding inside a macro whose definition continues on the next line.
    macro = text.replace(
        "  std::this_thread::sleep_for(std::chrono::milliseconds(10));\n}\n\nvoid unlockFirst",
        "  std::this_thread::sleep_for(std::chrono::milliseconds(10));\n}\n"
        "#define SLEEPY(mu) do { std::lock_guard<std::mutex> G(mu); \\\n"
        "    std::this_thread::sleep_for(std::chrono::milliseconds(1)); } while (0)\n"
        "void usesMacro() { SLEEPY(Mu); }\n\nvoid unlockFirst", 1)
    v = s.change("workers.cpp", macro)
    diags = s.diagnostics("workers.cpp", version=v)["diagnostics"]
    # concur reports a finding of a macro where it is expanded (line 15), where
    # a comment is safe; a diagnostic on a line of the definition (as a
    # client may send back after edits) gets none.
    for d in diags:
        print("line", d["range"]["start"]["line"] + 1, "actions:",
              len(actions(s, "workers.cpp", [d])))
    # CHECK: line 11 actions: 2
    # CHECK-NEXT: line 15 actions: 2
    for line in (13, 14):
        d = dict(diags[0], range={"start": {"line": line - 1, "character": 4},
                                  "end": {"line": line - 1, "character": 8}})
        print("continued line", line, "actions:", len(actions(s, "workers.cpp", [d])))
    # CHECK-NEXT: continued line 13 actions: 0
    # CHECK-NEXT: continued line 14 actions: 0
    print("exit", s.shutdown_and_exit())
    # CHECK: exit (None, 0)
