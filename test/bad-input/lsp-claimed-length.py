# A Content-Length is the client's word, not its bytes: a header that claims
# almost a gigabyte (under the server's limit for one message) followed by
# a few bytes costs the server a few bytes. The server runs with its
# address space limited to what it had after initialize plus 256 MiB, so
# allocating the claimed length up front fails (std::bad_alloc, or
# AddressSanitizer's out-of-memory report in the sanitizer build); reading
# the bytes as they come reaches the end of the input and exits 0 (after
# shutdown), as for any client that hangs up mid-frame.
#
# RUN: rm -rf %t && cp -r %S/../lsp/Inputs/project %t
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import resource
import sys
from lsp_client import Session

concur, root = sys.argv[1], sys.argv[2]


def address_space(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024


with Session([concur, "--lsp"], root) as s:
    s.send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"capabilities": {}}})
    print("initialize", "result" in s.response(1))
    # CHECK: initialize True
    s.send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    print("shutdown", "result" in s.response(2))
    # CHECK: shutdown True
    limit = address_space(s.proc.pid) + (256 << 20)
    resource.prlimit(s.proc.pid, resource.RLIMIT_AS, (limit, limit))
    s.send_raw(b"Content-Length: 1000000000\r\n\r\n" + b'{"jsonrpc": "2.0"' * 8)
    s.proc.stdin.close()
    print("exit status", s.proc.wait(timeout=60))
    # CHECK: exit status 0
    log = s.log()
    print("closed", "closed the input" in log)
    # CHECK: closed True
