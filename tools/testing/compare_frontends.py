#!/usr/bin/env python3
"""Checks that the three front ends report the same findings, with the same
notes, for one source file: the concur driver, clang-tidy with the concur
plugin, and concur --lsp (an LSP client opens the file and reads the
diagnostics published for it and for its headers).

  compare_frontends.py --concur BIN --clang-tidy BIN --plugin SO file.cpp -- flags
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Session  # noqa: E402

DIAG = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): "
                  r"(?P<kind>warning|note|remark): (?P<msg>.*)$")
# A finding names its check; its evidence notes do not.
FINDING = re.compile(r"\[concur-[a-z-]+\]$")


def kind_of(m):
    """'warning' or 'note' for a finding (clang-tidy prints a note-level
    finding as a remark, concur as a note naming its check), 'evidence' for
    the notes that follow it."""
    msg = m["msg"].strip()
    if not FINDING.search(msg):
        return "evidence"
    return "warning" if m["kind"] == "warning" else "note"


def findings(output, source):
    """The warning and note lines about `source`, in order, as tuples."""
    out = []
    for line in output.splitlines():
        m = DIAG.match(line)
        if not m:
            continue
        # clang-tidy adds notes of its own ("expanded from macro") only for
        # macros; both tools print them, so keep every line.
        out.append((m["line"], m["col"], kind_of(m), m["msg"].strip()))
    return out


def grouped(output):
    """The driver's warnings, each with its notes, in a canonical order
    (the LSP server publishes per file, not in the driver's order)."""
    groups = []
    for line in output.splitlines():
        m = DIAG.match(line)
        if not m:
            continue
        item = (int(m["line"]), int(m["col"]), kind_of(m), m["msg"].strip())
        if item[2] != "evidence":
            groups.append([os.path.basename(m["file"]), item])
        elif groups:
            groups[-1].append(item)
    return sorted(groups)


def lsp_findings(concur, checks, rules, source, flags, in_place=False):
    """What concur --lsp publishes when source is opened with these flags
    (from a compile_commands.json it is pointed at), grouped as above. The
    document is opened where it is with in_place (so that the .clang-tidy
    files above it count), else in a scratch directory."""
    source = os.path.abspath(source)
    work = tempfile.mkdtemp(prefix="concur-frontends-")
    try:
        with open(os.path.join(work, "compile_commands.json"), "w") as f:
            json.dump([{"directory": os.getcwd(), "file": source,
                        "arguments": ["clang++"] + flags + [source]}], f)
        command = [concur, "--lsp", "--lsp-debounce=0"] + \
            (["--checks=" + checks] if checks is not None else []) + \
            ["--rules=" + r for r in rules]
        root = os.path.dirname(source) if in_place else work
        with Session(command, root, os.path.join(work, "server.log")) as s:
            s.initialize(encodings=["utf-8"],  # columns in bytes, as clang's
                         options={"compilationDatabasePath": work})
            with open(source, encoding="utf-8", errors="surrogateescape") as f:
                s.open(os.path.basename(source), f.read())
            # The document is published with its headers, in one batch;
            # the answer to shutdown comes after the batch.
            s.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                   and m["params"]["uri"].endswith("/" + os.path.basename(source))
                   and m["params"].get("version") == 1, "the diagnostics")
            s.shutdown_and_exit()
            # A header's list is published again by each analysis that
            # reaches it: the last one of each file counts.
            latest = {}
            for p in s.published():
                latest[p["uri"]] = p["diagnostics"]
            groups = []
            for uri, diags in latest.items():
                for d in diags:
                    start = d["range"]["start"]
                    # Severity 3 (Information) is a note-level finding.
                    kind = "note" if d.get("severity") == 3 else "warning"
                    group = [os.path.basename(uri),
                             (start["line"] + 1, start["character"] + 1, kind,
                              "%s [%s]" % (d["message"], d["code"]))]
                    for r in d.get("relatedInformation", []):
                        rs = r["location"]["range"]["start"]
                        group.append((rs["line"] + 1, rs["character"] + 1, "evidence",
                                      r["message"]))
                    groups.append(group)
            return sorted(groups)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--concur", required=True)
    ap.add_argument("--clang-tidy", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--checks", default="concur-*")
    ap.add_argument("--rules", action="append", default=[],
                    help="rules files, for the driver's --rules and the plugin's Rules option")
    ap.add_argument("--use-config", action="store_true",
                    help="pass no --checks, rules or options: each front end "
                         "reads the .clang-tidy files above the source")
    ap.add_argument("source")
    ap.add_argument("flags", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    flags = a.flags[1:] if a.flags[:1] == ["--"] else a.flags

    rules = ["--rules=" + r for r in a.rules]
    config = []
    if a.rules:
        options = ", ".join("%s.Rules: '%s'" % (c, ";".join(a.rules))
                            for c in ["concur-lock-across-blocking-call", "concur-unguarded-field",
                                      "concur-send-on-closed-channel",
                                      "concur-channel-double-close"])
        config = ["--config={CheckOptions: {%s}}" % options]
    checks = ["--checks=" + a.checks]
    tidy_checks = ["--checks=-*," + a.checks]
    if a.use_config:
        checks, tidy_checks, rules, config = [], [], [], []
    driver = subprocess.run(
        [a.concur, "--quiet", "--use-color=never"] + checks + rules
        + [a.source, "--"] + flags,
        capture_output=True, text=True)
    tidy = subprocess.run(
        [a.clang_tidy, "--load=" + a.plugin] + tidy_checks +
        ["--header-filter=.*", "--quiet"] + config + [a.source, "--"] + flags,
        capture_output=True, text=True)
    if driver.returncode not in (0, 1):
        sys.exit("concur failed (%d):\n%s%s" % (driver.returncode, driver.stdout, driver.stderr))
    mine = findings(driver.stdout, a.source)
    theirs = findings(tidy.stdout, a.source)
    if mine != theirs:
        print("concur and clang-tidy disagree on %s" % a.source)
        print("--- concur")
        for f in mine:
            print("  %s:%s: %s: %s" % f)
        print("--- clang-tidy")
        for f in theirs:
            print("  %s:%s: %s: %s" % f)
        print(tidy.stderr[-2000:])
        sys.exit(1)
    # The LSP server: the same findings, published per file.
    expected = grouped(driver.stdout)
    # Notes about macro expansions are the compiler's rendering, not ours.
    expected = [[g[0]] + [i for i in g[1:] if "expanded from macro" not in i[3]]
                for g in expected]
    served = lsp_findings(a.concur, None if a.use_config else a.checks,
                          [] if a.use_config else a.rules, a.source, flags,
                          in_place=a.use_config)
    if expected != served:
        print("concur and concur --lsp disagree on %s" % a.source)
        for name, groups in (("concur", expected), ("concur --lsp", served)):
            print("--- " + name)
            for g in groups:
                print("  %s %s:%s: %s: %s" % ((g[0],) + g[1]))
                for n in g[2:]:
                    print("      %s:%s: %s: %s" % n)
        sys.exit(1)
    print("frontends agree: %d warnings, %d notes"
          % (sum(1 for f in mine if f[2] == "warning"),
             sum(1 for f in mine if f[2] != "warning")))


if __name__ == "__main__":
    main()
