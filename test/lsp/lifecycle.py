# Lifecycle: requests before initialize get ServerNotInitialized and
# notifications are dropped; initialize twice is refused; after shutdown,
# requests are refused; exit returns 0 after shutdown and 1 without; the end
# of input without exit is 1 too.
#
# RUN: rm -rf %t && cp -r %S/Inputs/project %t
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import json
import sys
from lsp_client import Session

concur, root = sys.argv[1], sys.argv[2]

with Session([concur, "--lsp"], root) as s:
    print("before", s.call("shutdown", None)["error"])
    # CHECK: before {'code': -32002, 'message': 'the server has not been initialized'}
    s.open("workers.cpp")  # dropped: not initialized yet
    init = s.initialize()
    print("server", init["result"]["serverInfo"]["name"])
    # CHECK: server concur
    print("again", s.call("initialize", {"capabilities": {}})["error"]["code"])
    # CHECK: again -32600
    print("unknown", s.call("textDocument/hover", {})["error"]["code"])
    # CHECK: unknown -32601
    result, status = s.shutdown_and_exit()
    print("shutdown", result, "exit", status)
    # CHECK: shutdown None exit 0
    # The didOpen before initialize was dropped: nothing was analysed.
    print("published before initialize", len(s.published()))
    # CHECK: published before initialize 0

with Session([concur, "--lsp"], root) as s:
    s.initialize()
    print("shut", s.call("shutdown")["result"])
    print("after", s.call("shutdown")["error"]["code"])
    s.notify("exit")
    print("exit after shutdown", s.proc.wait())
    # CHECK: shut None
    # CHECK: after -32600
    # CHECK: exit after shutdown 0

with Session([concur, "--lsp"], root) as s:
    s.initialize()
    s.notify("exit")
    print("exit without shutdown", s.proc.wait())
    # CHECK: exit without shutdown 1

with Session([concur, "--lsp"], root) as s:
    s.initialize()
    s.proc.stdin.close()
    print("end of input", s.proc.wait())
    # CHECK: end of input 1

# A client that closes the server's output before reading its replies
# (lsp-mode kills its server when 'shutdown' takes more than 0.5 s): the
# server's writes fail, and it still exits with 0 after shutdown and exit.
import subprocess
proc = subprocess.Popen([concur, "--lsp"], stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
proc.stdout.close()
for rid, method in ((1, "initialize"), (2, "shutdown"), (None, "exit")):
    msg = {"jsonrpc": "2.0", "method": method}
    if rid is not None:
        msg["id"] = rid
    if method == "initialize":
        msg["params"] = {"capabilities": {}, "rootUri": None}
    body = json.dumps(msg).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
proc.stdin.close()
print("output closed by the client", proc.wait())
# CHECK: output closed by the client 0
