# initialize names a processId that is gone: the server's watchdog exits
# promptly, although the reader thread is blocked reading stdin (flushing
# every stream there used to deadlock on stdin's lock).
#
# RUN: rm -rf %t && cp -r %S/../lsp/Inputs/project %t
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import subprocess
import sys
import time
from lsp_client import Session, uri

concur, root = sys.argv[1], sys.argv[2]

gone = subprocess.Popen(["true"])
gone.wait()  # reaped: its pid names no process now

with Session([concur, "--lsp"], root) as s:
    s.send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"processId": gone.pid, "rootUri": uri(root),
                       "capabilities": {}}})
    s.response(1)
    start = time.monotonic()
    try:
        status = s.proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        status = "still running"
    print("status", status, "prompt", time.monotonic() - start < 30)
    print("logged", "the client process is gone" in s.log())
# CHECK: status 1 prompt True
# CHECK: logged True
