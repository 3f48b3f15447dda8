#!/usr/bin/env python3
"""Checks that the concur driver and clang-tidy with the concur plugin report
the same findings, with the same notes, for one source file.

  compare_frontends.py --concur BIN --clang-tidy BIN --plugin SO file.cpp -- flags
"""
import argparse
import re
import subprocess
import sys

DIAG = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): "
                  r"(?P<kind>warning|note): (?P<msg>.*)$")


def findings(output, source):
    """The warning and note lines about `source`, in order, as tuples."""
    out = []
    for line in output.splitlines():
        m = DIAG.match(line)
        if not m:
            continue
        # clang-tidy adds notes of its own ("expanded from macro") only for
        # macros; both tools print them, so keep every line.
        out.append((m["line"], m["col"], m["kind"], m["msg"].strip()))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--concur", required=True)
    ap.add_argument("--clang-tidy", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--checks", default="concur-*")
    ap.add_argument("--rules", action="append", default=[],
                    help="rules files, for the driver's --rules and the plugin's Rules option")
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
    driver = subprocess.run(
        [a.concur, "--quiet", "--use-color=never", "--checks=" + a.checks] + rules
        + [a.source, "--"] + flags,
        capture_output=True, text=True)
    tidy = subprocess.run(
        [a.clang_tidy, "--load=" + a.plugin, "--checks=-*," + a.checks,
         "--header-filter=.*", "--quiet"] + config + [a.source, "--"] + flags,
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
    print("frontends agree: %d warnings, %d notes"
          % (sum(1 for f in mine if f[2] == "warning"),
             sum(1 for f in mine if f[2] == "note")))


if __name__ == "__main__":
    main()
