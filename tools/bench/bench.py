#!/usr/bin/env python3
"""concur's benchmark on real code: its cost against Clang's own parse, the
nearest existing check for reference, and its findings.

  tools/bench/bench.py [--projects leveldb,zeromq] [--workdir build/bench]
                       [-j 2] [--limit N] [--reference-limit N] [--no-reference]
                       [--build-deps] [--no-project-wide]

For each project of tools/bench/projects.json (Debian source packages):
fetch it with `apt-get source` (adding a deb-src entry if there is none),
configure it with CMake and clang-22 so that compile_commands.json exists
(with --build-deps, `apt-get build-dep` first), then run over the same
translation units at the same -j:

  floor      clang++-22 -fsyntax-only, one process per TU
  concur     build/bin/concur -p <build> -j N, SARIF written
  reference  clang-tidy-22 --checks=-*,clang-analyzer-unix.BlockInCriticalSection

and record wall time, CPU time (user+sys), peak memory (the largest
resident set of one process), the concur/floor ratios and the findings per
check. The concur run starts from an empty facts directory (extract and
link); then, unless --no-project-wide, `concur link` alone over its facts, a
re-run with nothing changed, and a re-run after a comment is appended to the
median-sized .cc (restored afterwards), against that file's own parse (the
link alone, the one-file re-run and that parse are each the median of three
runs). Writes <workdir>/summary.json, ratios.svg and report.md (merged with
the projects of earlier runs in the same workdir), and each project's SARIF. A project or tree already in <workdir>/<name> (with
build/compile_commands.json) is reused as is.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from parse_vs_concur import entries, syntax_only_command  # noqa: E402
from svg_chart import bar_chart  # noqa: E402


def log(msg):
    print(msg, flush=True)


def sudo():
    return [] if os.geteuid() == 0 else ["sudo"]


SOURCES_DIR = "/etc/apt/sources.list.d"
DEB_SRC_FILE = os.path.join(SOURCES_DIR, "concur-bench-src.sources")


def deb_src_stanzas():
    """deb-src stanzas mirroring the machine's own `deb` sources: each deb822
    stanza of Types deb, and each one-line `deb [options] URI suite comps`."""
    stanzas = []
    for name in sorted(os.listdir(SOURCES_DIR)):
        path = os.path.join(SOURCES_DIR, name)
        if ".disabled" in name or path == DEB_SRC_FILE:
            continue
        with open(path) as f:
            text = f.read()
        if name.endswith(".sources"):
            for block in re.split(r"\n\s*\n", text):
                fields = dict(re.findall(r"^([A-Za-z-]+):[ \t]*(.*)$", block, re.M))
                if ("deb" in fields.get("Types", "").split()
                        and fields.get("Enabled", "yes").lower() != "no"):
                    stanzas.append({k: fields[k] for k in
                                    ("URIs", "Suites", "Components", "Signed-By") if fields.get(k)})
        elif name.endswith(".list"):
            for line in text.splitlines():
                m = re.match(r"\s*deb\s+(?:\[([^]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)", line)
                if m:
                    opts = dict(o.split("=", 1) for o in (m.group(1) or "").split() if "=" in o)
                    st = {"URIs": m.group(2), "Suites": m.group(3), "Components": m.group(4)}
                    if "signed-by" in opts:
                        st["Signed-By"] = opts["signed-by"]
                    stanzas.append({k: v for k, v in st.items() if v})
    return stanzas


def ensure_deb_src():
    """apt-get source needs deb-src entries; add one for each `deb` source
    the machine already has (same archive, suites, components and key)."""
    probe = subprocess.run(["apt-get", "source", "--print-uris", "hello"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if probe.returncode == 0:
        return
    stanzas = deb_src_stanzas()
    if not stanzas:
        sys.exit("bench: no deb sources in %s to derive deb-src entries from" % SOURCES_DIR)
    text = "\n".join("Types: deb-src\n" + "".join("%s: %s\n" % kv for kv in st.items())
                     for st in stanzas)
    log("bench: adding deb-src entries (%s)" % DEB_SRC_FILE)
    subprocess.run(sudo() + ["tee", DEB_SRC_FILE],
                   input=text, text=True, stdout=subprocess.DEVNULL, check=True)
    subprocess.run(sudo() + ["apt-get", "update", "-qq"], check=True)


def fetch(project, workdir, build_deps):
    src = os.path.join(workdir, project["name"])
    if os.path.isdir(src):
        return src
    ensure_deb_src()
    os.makedirs(workdir, exist_ok=True)
    log("bench: apt-get source %s" % project["package"])
    subprocess.run(["apt-get", "source", "--download-only", project["package"]],
                   cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    dscs = sorted(f for f in os.listdir(workdir)
                  if f.startswith(project["package"] + "_") and f.endswith(".dsc"))
    subprocess.run(["dpkg-source", "-x", dscs[-1], project["name"]], cwd=workdir,
                   check=True, stdout=subprocess.DEVNULL)
    if build_deps:
        subprocess.run(sudo() + ["apt-get", "build-dep", "-y", "-qq", project["package"]],
                       check=True)
    return src


def configure(project, src):
    build = os.path.join(src, "build")
    if os.path.exists(os.path.join(build, "compile_commands.json")):
        return build
    log("bench: configuring %s" % project["name"])
    subprocess.run(["cmake", "-S", src, "-B", build, "-G", "Ninja",
                    "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
                    "-DCMAKE_C_COMPILER=clang-22", "-DCMAKE_CXX_COMPILER=clang++-22"]
                   + project.get("cmake", []), check=True, stdout=subprocess.DEVNULL)
    return build


def run_measured(cmds, jobs):
    """Runs commands (argv, cwd) with `jobs` at a time. Returns wall seconds,
    CPU seconds, the largest resident set of one process (MiB), failures and
    the stdout of each."""
    outs = [None] * len(cmds)
    stats = {"cpu": 0.0, "rss": 0, "failures": 0}

    def one(i):
        argv, cwd = cmds[i]
        p = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
        out = p.stdout.read()
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        outs[i] = (p.returncode, out)
        return ru.ru_utime + ru.ru_stime, ru.ru_maxrss

    wall0 = time.monotonic()
    with ThreadPoolExecutor(jobs) as pool:
        for cpu, rss in pool.map(one, range(len(cmds))):
            stats["cpu"] += cpu
            stats["rss"] = max(stats["rss"], rss)
    wall = time.monotonic() - wall0
    return {"wall": round(wall, 1), "cpu": round(stats["cpu"], 1),
            "peak_mib": round(stats["rss"] / 1024.0, 1)}, outs


def sarif_counts(path):
    counts = {}
    with open(path) as f:
        log_ = json.load(f)
    for run in log_["runs"]:
        for r in run["results"]:
            if r.get("suppressions"):
                continue
            counts[r["ruleId"]] = counts.get(r["ruleId"], 0) + 1
    return counts


def bench_project(project, a):
    src = fetch(project, a.workdir, a.build_deps)
    build = configure(project, src)
    es = [e for e in entries(build)
          if e["file"].endswith((".cc", ".cpp", ".cxx"))
          and not any(re.search(x, e["file"]) for x in project.get("exclude", []))]
    if a.limit:
        es = es[: a.limit]
    files = [e["file"] for e in es]
    log("bench: %s: %d translation units, -j %d" % (project["name"], len(es), a.j))
    result = {"project": project["name"], "package": project["package"],
              "translation_units": len(es), "jobs": a.j}

    floor, outs = run_measured([(syntax_only_command(e, "clang++-22", True), e["directory"])
                                for e in es], a.j)
    floor["failures"] = sum(1 for rc, _ in outs if rc != 0)
    result["floor"] = floor
    log("  floor      %s" % floor)

    sarif = os.path.join(a.workdir, "%s.sarif" % project["name"])
    facts = os.path.join(build, ".concur")
    run_concur = ([a.concur, "-p", build, "-j", str(a.j), "--quiet",
                   "--sarif=" + sarif, "--source-root=" + src] + files, src)
    # A full run extracts every unit: facts of an earlier run would make it
    # a re-run.
    shutil.rmtree(facts, ignore_errors=True)
    mine, outs = run_measured([run_concur], 1)
    mine["exit"] = outs[0][0]
    result["concur"] = mine
    result["ratio_cpu"] = round(mine["cpu"] / floor["cpu"], 2) if floor["cpu"] else None
    result["ratio_peak_memory"] = round(mine["peak_mib"] / floor["peak_mib"], 2) if floor["peak_mib"] else None
    # concur parses -j units in one process; the floor, one per process.
    result["ratio_peak_memory_per_job"] = (round(mine["peak_mib"] / (floor["peak_mib"] * a.j), 2)
                                           if floor["peak_mib"] else None)
    result["findings"] = sarif_counts(sarif)
    log("  concur     %s  ratio cpu %.2fx  memory %.2fx (%.2fx of -j floor processes)  findings %s" % (
        mine, result["ratio_cpu"], result["ratio_peak_memory"],
        result["ratio_peak_memory_per_job"], result["findings"]))

    if a.project_wide:
        result["project_wide"] = bench_project_wide(a, es, src, facts, run_concur, mine)

    if a.reference:
        ref_es = es[: a.reference_limit] if a.reference_limit else es
        clang_tidy = shutil.which("clang-tidy-22") or "/usr/lib/llvm-22/bin/clang-tidy"
        ref, outs = run_measured([([clang_tidy, "--quiet", "-p", build,
                                    "--checks=-*,clang-analyzer-unix.BlockInCriticalSection",
                                    e["file"]], e["directory"]) for e in ref_es], a.j)
        ref["translation_units"] = len(ref_es)
        ref["findings"] = sum(o.count(": warning: ") for _, o in outs)
        # Against the floor of the same units.
        if len(ref_es) == len(es):
            ref["ratio_cpu"] = round(ref["cpu"] / floor["cpu"], 2) if floor["cpu"] else None
        else:
            sub, _ = run_measured([(syntax_only_command(e, "clang++-22", True), e["directory"])
                                   for e in ref_es], a.j)
            ref["floor_cpu"] = sub["cpu"]
            ref["ratio_cpu"] = round(ref["cpu"] / sub["cpu"], 2) if sub["cpu"] else None
        result["reference"] = ref
        log("  reference  %s" % ref)
    return result


def median_run(run, times=3):
    """The run (a function returning run_measured's figures) whose CPU time
    is the median of `times`: a single sub-second measurement moves by a
    fifth from one run to the next."""
    runs = sorted((run() for _ in range(times)), key=lambda r: r["cpu"])
    return runs[len(runs) // 2]


def bench_project_wide(a, es, src, facts, run_concur, full):
    """The costs of the project-wide phases against the full run just made:
    the link alone over the facts it left, a re-run with nothing changed,
    and a re-run after one .cc changed (against that file's own parse). The
    short ones are medians of three."""
    pw = {}
    link_sarif = os.path.join(a.workdir, "link.sarif")
    link = median_run(lambda: run_measured(
        [([a.concur, "link", "--facts-dir=" + facts, "--source-root=" + src, "--quiet",
           "--exit-zero", "--sarif=" + link_sarif], src)], 1)[0])
    pw["link"] = link
    pw["link_share"] = round(link["cpu"] / full["cpu"], 3) if full["cpu"] else None
    pw["facts_mib"] = round(sum(os.path.getsize(os.path.join(facts, f))
                                for f in os.listdir(facts)) / 2**20, 1)
    same, _ = run_measured([run_concur], 1)
    pw["rerun_unchanged"] = same
    pw["rerun_unchanged_share"] = round(same["cpu"] / full["cpu"], 3) if full["cpu"] else None
    # The median-sized unit, so that the figure is typical.
    by_size = sorted(es, key=lambda e: os.path.getsize(
        os.path.join(e["directory"], e["file"])))
    one = by_size[len(by_size) // 2]
    path = os.path.join(one["directory"], one["file"])
    floor_one = median_run(lambda: run_measured(
        [(syntax_only_command(one, "clang++-22", True), one["directory"])], 1)[0])
    with open(path, "rb") as f:
        original = f.read()

    def touched_run():
        # A different comment each time, so that each run extracts the file.
        touched_run.n += 1
        try:
            with open(path, "ab") as f:
                f.write(b"\n// concur bench: a changed file (%d)\n" % touched_run.n)
            return run_measured([run_concur], 1)[0]
        finally:
            with open(path, "wb") as f:
                f.write(original)
    touched_run.n = 0
    touched = median_run(touched_run)
    pw["rerun_one_file"] = dict(touched, file=one["file"], floor_cpu=floor_one["cpu"])
    budget = 2 * floor_one["cpu"] + link["cpu"]
    pw["rerun_one_vs_budget"] = round(touched["cpu"] / budget, 2) if budget else None
    log("  project-wide  link %s (%.1f%% of the full run, facts %.1f MiB)"
        % (link, 100 * (pw["link_share"] or 0), pw["facts_mib"]))
    log("  re-run        unchanged %s (%.1f%%); one file %s: %s, budget 2x its parse "
        "(%.1f s) + the link = %.1f s" % (same, 100 * (pw["rerun_unchanged_share"] or 0),
                                           one["file"], touched, floor_one["cpu"], budget))
    # Restoring the file's content brings its facts back on the next run.
    run_measured([run_concur], 1)
    return pw


def write_report(results, workdir):
    with open(os.path.join(workdir, "summary.json"), "w") as f:
        json.dump({"results": results}, f, indent=2)
    bars = []
    for r in results:
        bars.append((r["project"], [("concur", r["ratio_cpu"] or 0),
                                    ("BlockInCriticalSection",
                                     (r.get("reference") or {}).get("ratio_cpu") or 0)]))
    with open(os.path.join(workdir, "ratios.svg"), "w") as f:
        f.write(bar_chart("CPU time relative to clang++ -fsyntax-only (1.0 = the parse)",
                          bars, reference_line=1.0))
    lines = ["# concur benchmark", "",
             "| project | TUs | -fsyntax-only CPU s | concur CPU s | ratio | peak MiB floor / concur | BlockInCriticalSection (TUs) ratio |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        ref = r.get("reference")
        lines.append("| %s | %d | %.1f | %.1f | %.2fx | %.0f / %.0f | %s |" % (
            r["project"], r["translation_units"], r["floor"]["cpu"], r["concur"]["cpu"],
            r["ratio_cpu"] or 0, r["floor"]["peak_mib"], r["concur"]["peak_mib"],
            ("%.1fx (%d)" % (ref["ratio_cpu"], ref["translation_units"])) if ref else "-"))
    wide = [r for r in results if r.get("project_wide")]
    if wide:
        lines += ["", "## Project-wide phases", "",
                  "Targets: the link at most 5% of a full run (extract and link), a re-run "
                  "with nothing changed at most 5%, a re-run after one .cc changed at most "
                  "2x that file's parse plus the link (budget ratio at most 1).", "",
                  "| project | full CPU s | link CPU s (share) | link peak MiB | facts MiB | "
                  "re-run unchanged CPU s (share) | one file re-run CPU s | budget ratio |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in wide:
            pw = r["project_wide"]
            lines.append("| %s | %.1f | %.1f (%.1f%%) | %.0f | %.1f | %.1f (%.1f%%) | %.1f | %.2f |" % (
                r["project"], r["concur"]["cpu"], pw["link"]["cpu"], 100 * (pw["link_share"] or 0),
                pw["link"]["peak_mib"], pw["facts_mib"], pw["rerun_unchanged"]["cpu"],
                100 * (pw["rerun_unchanged_share"] or 0), pw["rerun_one_file"]["cpu"],
                pw["rerun_one_vs_budget"] or 0))
    checks = sorted({c for r in results for c in r["findings"]})
    lines += ["", "## Findings per check", "",
              "| project | " + " | ".join(checks) + " |",
              "|---|" + "---|" * len(checks)]
    for r in results:
        lines.append("| %s | %s |" % (r["project"], " | ".join(str(r["findings"].get(c, 0)) for c in checks)))
    with open(os.path.join(workdir, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--projects", default="leveldb,zeromq,abseil,poco,rocksdb")
    ap.add_argument("--workdir", default=os.path.join(ROOT, "build", "bench"))
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="first N translation units of each project")
    ap.add_argument("--reference-limit", type=int, default=0,
                    help="clang-tidy's analyzer on the first N units only (it is slow)")
    ap.add_argument("--no-reference", dest="reference", action="store_false")
    ap.add_argument("--build-deps", action="store_true")
    ap.add_argument("--no-project-wide", dest="project_wide", action="store_false",
                    help="skip the link-alone and re-run measurements")
    ap.add_argument("--concur", default=os.path.join(ROOT, "build", "bin", "concur"))
    a = ap.parse_args()
    a.workdir = os.path.abspath(a.workdir)
    with open(os.path.join(HERE, "projects.json")) as f:
        projects = {p["name"]: p for p in json.load(f)["projects"]}
    # Earlier runs' projects stay in the summary (one command per group of
    # projects, with its own --limit); a project run again replaces its entry.
    results = []
    summary = os.path.join(a.workdir, "summary.json")
    if os.path.exists(summary):
        with open(summary) as f:
            results = json.load(f).get("results", [])
    for name in a.projects.split(","):
        r = bench_project(projects[name], a)
        results = [x for x in results if x["project"] != name] + [r]
        write_report(results, a.workdir)  # keep what is done if a later one fails
    log("bench: wrote %s/summary.json, ratios.svg, report.md" % a.workdir)


if __name__ == "__main__":
    main()
