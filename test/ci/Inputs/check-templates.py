#!/usr/bin/env python3
"""Loads the CI templates and prints how each runs the gate and what it does
with the SARIF, for FileCheck."""
import os
import re
import sys

import yaml

root = sys.argv[1]


def gate_args(script):
    m = re.search(r"concur-gate(?:\.sh)?\s+(.*?)\s+--configure", script, re.S)
    args = " ".join(w for w in m.group(1).split() if w != "\\")
    return args.replace('"${base[@]}"', '--base "$BASE_SHA"')


gh = yaml.safe_load(open(os.path.join(root, "github-actions.yml")))
steps = gh["jobs"]["concur"]["steps"]
run = "\n".join(s.get("run", "") for s in steps)
assert "${{ github.event.pull_request.base.sha }}" in str(steps)
upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")][0]
print("github-actions.yml: gate %s; uploads %s (category %s) %s" % (
    gate_args(run), upload["with"]["sarif_file"], upload["with"]["category"],
    "always" if upload.get("if") == "always()" else "on success"))

gl = yaml.safe_load(open(os.path.join(root, "gitlab-ci.yml")))
job = gl["concur"]
script = "\n".join(job["script"])
assert "CI_MERGE_REQUEST_DIFF_BASE_SHA" in script
print("gitlab-ci.yml: gate %s; keeps %s %s; code quality %s" % (
    gate_args(script), " ".join(job["artifacts"]["paths"]), job["artifacts"]["when"],
    job["artifacts"]["reports"]["codequality"]))

# Both build concur once per version (a cache keyed by the ref) and install
# only its runtime packages on every run, never the test-only ones.
for name, text in (("github-actions.yml", str(steps)),
                   ("gitlab-ci.yml", str(job))):
    for unwanted in ("install-deps.sh", "neovim", "npm", "libboost-fiber-dev"):
        assert unwanted not in text, "%s installs %s" % (name, unwanted)
    print("%s: cached build %s, runtime %s" % (
        name, "cmake --install" in text,
        all(p in text for p in ("libclang-cpp22", "libllvm22", "libclang-common-22-dev"))))
