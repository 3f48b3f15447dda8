#!/usr/bin/env python3
"""Prints chosen facts of a SARIF log, one per line, for FileCheck:

  sarif_query.py log.sarif results      -> ruleId line:col fingerprint message
  sarif_query.py log.sarif related      -> per result, its related locations
  sarif_query.py log.sarif flows        -> per result, its code-flow steps
  sarif_query.py log.sarif driver       -> tool.driver fields and rules
  sarif_query.py log.sarif fingerprints -> only the fingerprints
  sarif_query.py log.sarif states       -> per result: baselineState,
                                           suppressions, ruleId, location
  sarif_query.py log.sarif runs         -> per run: tool, category, result
                                           and invocation counts
  sarif_query.py log.sarif messages     -> per result, its message text as
                                           a JSON string (links and all)
  sarif_query.py log.sarif help         -> per rule, the headings and links
                                           of its help.markdown
"""
import json
import sys


def loc(l):
    p = l["physicalLocation"]
    r = p["region"]
    a = p["artifactLocation"]
    return "%s%s:%d:%d-%d" % ((a.get("uriBaseId", "") + "/") if a.get("uriBaseId") else "",
                              a["uri"], r["startLine"], r["startColumn"], r["endColumn"])


def main():
    log = json.load(open(sys.argv[1]))
    what = sys.argv[2]
    run = log["runs"][0]
    if what == "runs":
        for r in log["runs"]:
            print("run tool=%s category=%s results=%d invocations=%d" % (
                r["tool"]["driver"]["name"], r.get("automationDetails", {}).get("id", "-"),
                len(r["results"]), len(r.get("invocations", []))))
        return
    if what == "driver":
        d = run["tool"]["driver"]
        print("name=%s version=%s informationUri=%s" % (d["name"], d["version"], d["informationUri"]))
        for r in d["rules"]:
            print("rule %s level=%s helpUri=%s" % (r["id"], r["defaultConfiguration"]["level"], r["helpUri"]))
        print("originalUriBaseIds=%s" % json.dumps(run.get("originalUriBaseIds", {}), sort_keys=True))
        inv = run["invocations"][0]
        print("executionSuccessful=%s" % inv["executionSuccessful"])
        for n in inv.get("toolExecutionNotifications", []):
            print("notification %s: %s" % (n["level"], n["message"]["text"]))
        return
    if what == "help":
        for r in run["tool"]["driver"]["rules"]:
            md = r["help"].get("markdown", "")
            print("rule %s markdown=%d chars" % (r["id"], len(md)))
            for line in md.splitlines():
                if line.startswith("#") or "](" in line:
                    print("  " + line)
        return
    for res in run["results"]:
        if what == "messages":
            print(json.dumps(res["message"]["text"]))
            continue
        fp = res.get("partialFingerprints", {}).get("primaryLocationLineHash", "-")
        if what == "results":
            # The message's first line: the links to related locations follow.
            print("%s %s %s %s" % (res["ruleId"], loc(res["locations"][0]), fp,
                                   res["message"]["text"].splitlines()[0]))
        elif what == "fingerprints":
            print(fp)
        elif what == "states":
            sup = ",".join("%s:%s%s" % (s["kind"], s.get("status", "-"),
                                        (" (" + s["justification"] + ")") if s.get("justification") else "")
                           for s in res.get("suppressions", [])) or "-"
            print("%s suppressed=%s %s %s ruleIndex=%s" % (
                res.get("baselineState", "-"), sup, res["ruleId"], loc(res["locations"][0]),
                res.get("ruleIndex", "-")))
        elif what == "related":
            print("result %s" % loc(res["locations"][0]))
            for r in res.get("relatedLocations", []):
                print("  related %d %s %s" % (r["id"], loc(r), r["message"]["text"]))
        elif what == "flows":
            print("result %s" % loc(res["locations"][0]))
            for flow in res.get("codeFlows", []):
                threads = flow["threadFlows"]
                for n, tf in enumerate(threads):
                    if len(threads) > 1:
                        print("  thread %d" % (n + 1))
                    for step in tf["locations"]:
                        print("  step %d %s %s" % (step["nestingLevel"], loc(step["location"]),
                                                   step["location"]["message"]["text"]))


if __name__ == "__main__":
    main()
