#!/usr/bin/env python3
"""Checks a Code Quality report against the fields GitLab documents for it
(an array of issues, each with description, check_name, fingerprint unique
in the report, severity among info/minor/major/critical/blocker,
location.path relative to the repository, location.lines.begin >= 1) and
prints one line per issue for FileCheck."""
import json
import sys

issues = json.load(open(sys.argv[1]))
assert isinstance(issues, list), "the report is not an array"
seen = set()
for i in issues:
    for key in ("description", "check_name", "fingerprint", "severity"):
        assert isinstance(i.get(key), str) and i[key], "%s missing in %r" % (key, i)
    assert i["severity"] in ("info", "minor", "major", "critical", "blocker"), i
    assert i["fingerprint"] not in seen, "duplicate fingerprint " + i["fingerprint"]
    seen.add(i["fingerprint"])
    loc = i["location"]
    assert isinstance(loc["path"], str) and not loc["path"].startswith("/"), loc
    begin = loc["lines"]["begin"]
    assert isinstance(begin, int) and begin >= 1, loc
    print("%s:%d %s %s %s" % (loc["path"], begin, i["severity"], i["check_name"],
                              i["description"]))
print("%d issues" % len(issues))
