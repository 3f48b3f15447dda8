# Bad input gets the JSON-RPC error the specification prescribes, and the
# server keeps serving: invalid JSON, a message that is not an object, a
# request without a method, a wrong id, a header without Content-Length,
# an unknown method, notifications for a document that is not open, an
# edit with an invalid range. An analysis that crashes is reported with
# window/showMessage and the next analysis still runs.
#
# RUN: rm -rf %t && cp -r %S/Inputs/project %t
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import sys
from lsp_client import Session, show, uri

concur, root = sys.argv[1], sys.argv[2]


def error_of(s):
    m = s.wait(lambda m: "error" in m, "an error response")
    return m.get("id"), m["error"]["code"]


with Session([concur, "--lsp", "--lsp-debounce=0",
              "--lsp-crash-on=CRASH_CONCUR_HERE"], root) as s:
    s.initialize()
    s.send_raw(b"Content-Length: 9\r\n\r\n{not json")
    print("parse", error_of(s))
    # CHECK: parse (None, -32700)
    s.send_raw(b"Content-Length: 7\r\n\r\n[1,2,3]")
    print("array", error_of(s))
    # CHECK: array (None, -32600)
    s.send({"jsonrpc": "2.0", "id": 41})
    print("no method", error_of(s))
    # CHECK: no method (41, -32600)
    s.send({"jsonrpc": "2.0", "id": {"x": 1}, "method": "shutdown"})
    print("bad id", error_of(s))
    # CHECK: bad id (None, -32600)
    s.send({"jsonrpc": "1.0", "id": 42, "method": "shutdown"})
    print("old jsonrpc", error_of(s))
    # CHECK: old jsonrpc (42, -32600)
    s.send({"jsonrpc": 2, "id": 44, "method": "shutdown"})
    print("numeric jsonrpc", error_of(s))
    # CHECK: numeric jsonrpc (44, -32600)
    s.send({"jsonrpc": "2.0", "id": 45, "method": 7})
    print("numeric method", error_of(s))
    # CHECK: numeric method (45, -32600)
    s.send_raw(b"Content-Type: application/json\r\n\r\n")
    print("no length", error_of(s))
    # CHECK: no length (None, -32700)
    # A Content-Length too short: the rest of the body runs into the next
    # frame's header, and the reader finds that frame again.
    s.send_raw(b'Content-Length: 5\r\n\r\n{"a": 1}')
    print("short frame", error_of(s))
    # CHECK: short frame (None, -32700)
    print("next frame", s.call("workspace/symbol", {"query": "y"})["error"]["code"])
    # CHECK: next frame -32601
    print("unknown", s.call("workspace/symbol", {"query": "x"})["error"]["code"])
    # CHECK: unknown -32601
    # A request with params of the wrong shape.
    s.send({"jsonrpc": "2.0", "id": 43, "method": "textDocument/hover",
            "params": 5})
    print("bad params", error_of(s))
    # CHECK: bad params (43, -32600)
    # Notifications are never answered, whatever they hold.
    s.notify("textDocument/didChange", {"textDocument": {
        "uri": uri(s.path("nowhere.cpp")), "version": 2},
        "contentChanges": [{"text": "int x;"}]})
    s.notify("textDocument/didClose",
             {"textDocument": {"uri": uri(s.path("nowhere.cpp"))}})
    s.notify("textDocument/didOpen", {"textDocument": {}})
    s.notify("$/unknownNotification", {})
    s.notify("$/cancelRequest", {"id": 1})

    # Still serving: a document opens and is analysed.
    s.open("workers.cpp")
    print("served")
    show(s.diagnostics("workers.cpp", version=1)["diagnostics"])
    # CHECK-LABEL: served
    # CHECK-NEXT: 11:3-30 concur-lock-across-blocking-call

    # An edit with a range whose end is before its start is ignored; the
    # next one applies.
    s.change("workers.cpp", [(5, 0, 2, 0, "junk")])
    v = s.change("workers.cpp", [(9, 0, 9, 0, "\n")])
    print("after bad range")
    show(s.diagnostics("workers.cpp", version=v)["diagnostics"])
    # CHECK-LABEL: after bad range
    # CHECK-NEXT: 12:3-30 concur-lock-across-blocking-call

    # A crash in one analysis: said, and survived.
    v = s.change("workers.cpp", [(0, 0, 0, 0, "// CRASH_CONCUR_HERE\n")])
    msg = s.notification("window/showMessage")
    print("crash", msg["type"], msg["message"])
    # CHECK: crash 1 concur: the analysis of workers.cpp crashed
    v = s.change("workers.cpp", [(0, 0, 1, 0, "")])
    print("recovered")
    show(s.diagnostics("workers.cpp", version=v)["diagnostics"])
    # CHECK-LABEL: recovered
    # CHECK-NEXT: 12:3-30 concur-lock-across-blocking-call
    result, status = s.shutdown_and_exit()
    print("exit", status)
    # CHECK: exit 0
