"""A small LSP client for concur's protocol tests: starts `concur --lsp`,
speaks the base protocol over its stdin/stdout and records every message the
server sends, so that a test can wait for one and print what it holds.

    with Session([concur, "--lsp"], root) as s:
        s.initialize()
        s.open("a.cpp")
        for d in s.diagnostics("a.cpp", version=1): ...
"""
import json
import os
import queue
import subprocess
import sys
import threading
import time

TIMEOUT = float(os.environ.get("CONCUR_LSP_TEST_TIMEOUT", "120"))


def uri(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))


class Session:
    def __init__(self, command, root, stderr_path=None):
        self.root = os.path.abspath(root)
        self.stderr_path = stderr_path or os.path.join(self.root, "server.log")
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr)
        self.messages = queue.Queue()
        self.seen = []          # every message read so far, in order
        self.next_id = 1
        self.versions = {}
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()

    # -- transport ---------------------------------------------------------
    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = out.read(length)
            self.messages.put(json.loads(body))

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return rid

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def wait(self, predicate, what, timeout=TIMEOUT):
        """The first message not yet consumed that matches; fails after
        timeout (a hang is a failure, not a measurement)."""
        for m in self.seen:
            if not m.get("_consumed") and predicate(m):
                m["_consumed"] = True
                return m
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                sys.exit("timed out waiting for %s; server log:\n%s" %
                         (what, self.log()))
            try:
                m = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if m is None:
                sys.exit("the server closed its output while waiting for %s; "
                         "server log:\n%s" % (what, self.log()))
            self.seen.append(m)
            if predicate(m):
                m["_consumed"] = True
                return m

    def response(self, rid):
        return self.wait(lambda m: m.get("id") == rid and "method" not in m,
                         "the response to request %r" % rid)

    def call(self, method, params=None):
        return self.response(self.request(method, params))

    def log(self):
        self.stderr.flush()
        with open(self.stderr_path, errors="replace") as f:
            return f.read()

    # -- LSP ---------------------------------------------------------------
    def initialize(self, capabilities=None, options=None, encodings=None):
        caps = capabilities if capabilities is not None else {
            "textDocument": {"publishDiagnostics": {
                "relatedInformation": True, "codeDescriptionSupport": True,
                "versionSupport": True}},
        }
        if encodings:
            caps.setdefault("general", {})["positionEncodings"] = encodings
        params = {"processId": os.getpid(), "rootUri": uri(self.root),
                  "capabilities": caps}
        if options is not None:
            params["initializationOptions"] = options
        result = self.call("initialize", params)
        self.notify("initialized", {})
        return result

    def path(self, name):
        return os.path.join(self.root, name)

    def open(self, name, text=None, version=1, language="cpp"):
        if text is None:
            with open(self.path(name)) as f:
                text = f.read()
        self.versions[name] = version
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri(self.path(name)), "languageId": language,
            "version": version, "text": text}})

    def change(self, name, changes):
        """changes: a list of (start_line, start_char, end_line, end_char,
        text), or a string for the whole text."""
        self.versions[name] += 1
        if isinstance(changes, str):
            events = [{"text": changes}]
        else:
            events = [{"range": {"start": {"line": a, "character": b},
                                 "end": {"line": c, "character": d}},
                       "text": t} for a, b, c, d, t in changes]
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri(self.path(name)),
                             "version": self.versions[name]},
            "contentChanges": events})
        return self.versions[name]

    def save(self, name):
        self.notify("textDocument/didSave",
                    {"textDocument": {"uri": uri(self.path(name))}})

    def close(self, name):
        self.notify("textDocument/didClose",
                    {"textDocument": {"uri": uri(self.path(name))}})

    def diagnostics(self, name, version=None):
        """The next publishDiagnostics for name (of that version, if given)."""
        target = uri(self.path(name))

        def match(m):
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m["params"]
            return p["uri"] == target and (version is None or
                                           p.get("version") == version)
        return self.wait(match, "diagnostics for %s version %s" %
                         (name, version))["params"]

    def notification(self, method):
        return self.wait(lambda m: m.get("method") == method and "id" not in m,
                         "a %s notification" % method)["params"]

    def published(self, name=None):
        """Every publishDiagnostics received so far (for name)."""
        target = uri(self.path(name)) if name else None
        return [m["params"] for m in self.seen
                if m.get("method") == "textDocument/publishDiagnostics" and
                (target is None or m["params"]["uri"] == target)]

    def shutdown_and_exit(self):
        response = self.call("shutdown")
        self.notify("exit")
        return response.get("result", response.get("error")), \
            self.proc.wait(timeout=TIMEOUT)


def show(diags, root=None):
    """One line per diagnostic, then one per related information:
    line:col-endcol code (source, severity) message."""
    for d in diags:
        r = d["range"]
        print("%d:%d-%d %s (%s, %d) %s" % (
            r["start"]["line"] + 1, r["start"]["character"] + 1,
            r["end"]["character"] + 1, d.get("code"), d.get("source"),
            d.get("severity"), d["message"].splitlines()[0]))
        for info in d.get("relatedInformation", []):
            loc = info["location"]
            name = os.path.basename(loc["uri"])
            print("  related %s:%d:%d %s" % (
                name, loc["range"]["start"]["line"] + 1,
                loc["range"]["start"]["character"] + 1, info["message"]))
    if not diags:
        print("(no diagnostics)")
