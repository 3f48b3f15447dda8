# The LSP server and hostile or sloppy clients: "params": null (Emacs's
# eglot and lsp-mode send it) is no params, on initialize, requests,
# shutdown and exit; a frame whose Content-Length is too long or too short
# does not leave the server deaf (the next frames are found again, even
# when the rest of the bad body holds a ':'); opening file:/// (a directory)
# is ignored without crashing an analysis.
#
# RUN: rm -rf %t && cp -r %S/../lsp/Inputs/project %t
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import json
import sys
from lsp_client import Session, show, uri

concur, root = sys.argv[1], sys.argv[2]


def frame(body, delta=0):
    return b"Content-Length: %d\r\n\r\n" % (len(body) + delta) + body


with Session([concur, "--lsp", "--lsp-debounce=0"], root) as s:
    s.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": None})
    r = s.response(1)
    print("initialize", "result" in r, r.get("error"))
    # CHECK: initialize True None
    s.send({"jsonrpc": "2.0", "method": "initialized", "params": None})
    s.send({"jsonrpc": "2.0", "id": 2, "method": "workspace/symbol",
            "params": None})
    print("request", s.response(2)["error"]["code"])
    # CHECK: request -32601

    # Too long by 12 bytes: the body runs into the next frame's header.
    bad = json.dumps({"jsonrpc": "2.0", "id": 3, "method": "x:y"}).encode()
    good = json.dumps({"jsonrpc": "2.0", "id": 4, "method": "a:b",
                       "params": {"k": "v:w"}}).encode()
    s.send_raw(frame(bad, 12) + frame(good))
    print("after too long", s.response(4)["error"]["code"])
    # CHECK: after too long -32601
    # Too short: the rest of the body, with its ':', precedes the header.
    bad = json.dumps({"jsonrpc": "2.0", "id": 5,
                      "params": {"a": "b:c", "d": 1}}).encode()
    good = json.dumps({"jsonrpc": "2.0", "id": 6, "method": "p:q"}).encode()
    s.send_raw(frame(bad, -20) + frame(good))
    print("after too short", s.response(6)["error"]["code"])
    # CHECK: after too short -32601

    # file:/// is a directory: not analysed, nothing crashes.
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": "file:///", "languageId": "cpp", "version": 1,
        "text": "int x;"}})
    s.open("workers.cpp")
    # No versionSupport (initialize had no capabilities): no version.
    show(s.diagnostics("workers.cpp")["diagnostics"])
    # CHECK: 11:3-30 concur-lock-across-blocking-call
    log = s.log()
    print("crashed", "crashed" in log, "directory" in log)
    # CHECK: crashed False True

    s.send({"jsonrpc": "2.0", "id": 7, "method": "shutdown", "params": None})
    r = s.response(7)
    print("shutdown", "result" in r, r.get("error"))
    # CHECK: shutdown True None
    s.send({"jsonrpc": "2.0", "method": "exit", "params": None})
    print("exit status", s.proc.wait(timeout=30))
    # CHECK: exit status 0
