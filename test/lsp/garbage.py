# Never a crash on garbage: 150 seeded sessions of random bytes, random
# frames and well-framed messages with fields of the wrong types (params,
# capabilities, text documents, versions, content changes, ids). Every
# session must end with exit status 0 or 1 (no signal, no abort).
#
# RUN: %python %s %concur | FileCheck %s
# CHECK: 150 sessions, 0 crashed
import json
import os
import random
import subprocess
import sys

concur = sys.argv[1]
rng = random.Random(20261122)
MESSAGES = [
    {"jsonrpc": "2.0", "id": 1, "method": "initialize",
     "params": {"capabilities": None}},
    {"jsonrpc": "2.0", "id": 1, "method": "initialize",
     "params": {"capabilities": {"general": {"positionEncodings": 5},
                                 "window": {"workDoneProgress": "yes"}},
                "processId": "me", "rootUri": 3,
                "initializationOptions": {"compilationDatabasePath": [],
                                          "fallbackFlags": [1, None]}}},
    {"jsonrpc": "2.0", "id": 2, "method": "initialize", "params": []},
    {"jsonrpc": "2.0", "method": "textDocument/didOpen",
     "params": {"textDocument": None}},
    {"jsonrpc": "2.0", "method": "textDocument/didOpen",
     "params": {"textDocument": {"uri": 3, "text": "int x;"}}},
    {"jsonrpc": "2.0", "method": "textDocument/didOpen",
     "params": {"textDocument": {"uri": "file:///nonexistent/x.cpp",
                                 "text": 7, "version": "one"}}},
    {"jsonrpc": "2.0", "method": "textDocument/didChange",
     "params": {"textDocument": {"uri": "file:///nonexistent/x.cpp",
                                 "version": "a"},
                "contentChanges": [5, {"range": {"start": {"line": -1,
                                                           "character": 2}},
                                       "text": "x"}]}},
    {"jsonrpc": "2.0", "method": "textDocument/didClose", "params": 3},
    {"jsonrpc": "2.0", "id": [1], "method": "shutdown"},
    {"jsonrpc": 2, "id": 3, "method": "shutdown"},
    {"jsonrpc": "2.0", "id": None, "method": "exit"},
    [], "x", None, 12,
]


def frame(body):
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


crashed = 0
sessions = 150
for trial in range(sessions):
    data = b""
    for _ in range(rng.randint(1, 8)):
        kind = rng.random()
        if kind < 0.25:
            data += bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 120)))
        elif kind < 0.5:
            body = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 40)))
            data += b"Content-Length: %d\r\n\r\n" % rng.randint(0, 60) + body
        else:
            data += frame(json.dumps(rng.choice(MESSAGES)).encode())
    p = subprocess.run([concur, "--lsp"], input=data, capture_output=True,
                       timeout=120)
    if p.returncode not in (0, 1):
        crashed += 1
        print("session %d: exit %d\n%s" % (trial, p.returncode,
                                         p.stderr.decode(errors="replace")[-500:]))
print("%d sessions, %d crashed" % (sessions, crashed))
