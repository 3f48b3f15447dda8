#!/usr/bin/env python3
"""Validates a SARIF log against the SARIF 2.1.0 JSON schema, plus the rules
code scanning adds (every run has results, rule ids resolve, regions are
complete). Exit status 0 when valid."""
import json
import sys

import jsonschema


def main():
    schema_path, log_path = sys.argv[1], sys.argv[2]
    with open(schema_path) as f:
        schema = json.load(f)
    with open(log_path) as f:
        log = json.load(f)
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for e in errors:
        print("schema: %s: %s" % ("/".join(str(p) for p in e.path), e.message))
    problems = len(errors)
    for run in log.get("runs", []):
        rules = run["tool"]["driver"].get("rules", [])
        if "results" not in run:
            print("code scanning: a run without 'results'")
            problems += 1
        for r in run.get("results", []):
            idx = r.get("ruleIndex")
            if idx is None or rules[idx]["id"] != r["ruleId"]:
                print("ruleIndex does not point at ruleId %s" % r["ruleId"])
                problems += 1
            region = r["locations"][0]["physicalLocation"]["region"]
            for key in ("startLine", "startColumn", "endLine", "endColumn"):
                if key not in region:
                    print("region without %s" % key)
                    problems += 1
            if not r.get("partialFingerprints", {}).get("primaryLocationLineHash"):
                print("result without primaryLocationLineHash")
                problems += 1
    if problems:
        sys.exit(1)
    print("valid SARIF 2.1.0: %d results" % sum(len(r.get("results", [])) for r in log["runs"]))


if __name__ == "__main__":
    main()
