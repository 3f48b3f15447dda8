#!/usr/bin/env python3
"""Runs Microsoft's SARIF multitool `validate` on SARIF logs, with its SARIF
rules and its GitHub Advanced Security ingestion rules (rule kinds
"Ghas;Sarif"). Prints each problem; exit status 1 if any log has an error or
a warning, 0 with "multitool: N logs valid" otherwise.

  multitool_validate.py <Sarif.Multitool binary> <log.sarif>...
"""
import json
import os
import subprocess
import sys
import tempfile


def main():
    tool, logs = sys.argv[1], sys.argv[2:]
    problems = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, log in enumerate(logs):
            out = os.path.join(tmp, "validation-%d.sarif" % i)
            proc = subprocess.run(
                [tool, "validate", log, "-o", out, "--rule-kind", "Ghas;Sarif",
                 "--log", "ForceOverwrite"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if not os.path.exists(out):
                print("multitool failed on %s (exit %d):\n%s" % (log, proc.returncode, proc.stdout))
                problems += 1
                continue
            with open(out) as f:
                report = json.load(f)
            for run in report.get("runs", []):
                for res in run.get("results", []):
                    level = res.get("level", "warning")
                    if level in ("error", "warning"):
                        problems += 1
                        print("%s: %s %s: %s" % (log, level, res.get("ruleId"),
                                                 res.get("message", {}).get("text", "")))
                for inv in run.get("invocations", []):
                    for n in inv.get("toolExecutionNotifications", []) + \
                            inv.get("toolConfigurationNotifications", []):
                        if n.get("level") == "error":
                            problems += 1
                            print("%s: multitool error: %s" % (log, n.get("message", {}).get("text", "")))
    if problems:
        sys.exit(1)
    print("multitool: %d logs valid" % len(logs))


if __name__ == "__main__":
    main()
