#!/usr/bin/env python3
"""Measures what an editor user waits for: the time from a didChange to the
publishDiagnostics of that version, on generated translation units of about
1,000 and 5,000 lines that include the standard headers, with and without
the precompiled preamble; beside them, `clang++ -fsyntax-only` on the same
file (the floor of a parse without a preamble).

  lsp_latency.py [--concur build/bin/concur] [--lines 1000 5000] [--edits 10]
                 [--real FILE...]

--real measures existing files too (their compile_commands.json is found as
the editor's would be): a comment line is inserted after a line ending in
';' or '}' in the middle of the file.

The server runs with --lsp-debounce=0 so that the figures are the analysis
alone; an editor adds the debounce (200 ms by default) after the last
keystroke. Prints a Markdown table.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "testing"))
from lsp_client import Session  # noqa: E402

HEADERS = ["algorithm", "atomic", "chrono", "condition_variable", "functional",
           "future", "iostream", "map", "memory", "mutex", "shared_mutex",
           "string", "thread", "unordered_map", "vector"]

CLASS = """
class Queue{i} {{
 public:
  void push(int v) {{
    std::lock_guard<std::mutex> lock(mu_);
    items_.push_back(v);
    names_[std::to_string(v)] = v;
    cv_.notify_one();
  }}
  int pop() {{
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] {{ return !items_.empty(); }});
    int v = items_.back();
    items_.pop_back();
    return v;
  }}
  std::size_t size() const {{
    std::lock_guard<std::mutex> lock(mu_);
    return items_.size();
  }}
  void drain() {{
    std::lock_guard<std::mutex> lock(mu_);
    std::this_thread::sleep_for(std::chrono::milliseconds({i}));
    items_.clear();
  }}
 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int> items_;
  std::map<std::string, int> names_;
}};

inline void run{i}(Queue{i} &q) {{
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&q, t] {{ q.push(t); }});
  for (auto &th : threads)
    th.join();
}}
"""


def generate(lines):
    text = "".join("#include <%s>\n" % h for h in HEADERS)
    i = 0
    while text.count("\n") < lines:
        text += CLASS.format(i=i)
        i += 1
    return text


def edit_line(text):
    """A line in the middle of the file after which a comment line is
    harmless (the generated TUs: inside a function body)."""
    lines = text.split("\n")
    mid = len(lines) // 2
    while not (lines[mid].rstrip().endswith((";", "}")) and
               not lines[mid].rstrip().endswith("\\")):
        mid += 1
    return mid + 1


def measure(concur, path, text, preamble, edits):
    root = os.path.dirname(path)
    name = os.path.basename(path)
    cmd = [concur, "--lsp", "--lsp-debounce=0",
           "--lsp-preamble=" + ("true" if preamble else "false")]
    log = tempfile.NamedTemporaryFile(prefix="concur-lsp-", suffix=".log",
                                      delete=False).name
    with Session(cmd, root, stderr_path=log) as s:
        s.initialize()
        start = time.monotonic()
        s.open(name, text)
        diags = s.diagnostics(name, version=1)["diagnostics"]
        opened = time.monotonic() - start
        line = edit_line(text)
        times = []
        for k in range(edits):
            start = time.monotonic()
            v = s.change(name, [(line, 0, line, 0, "    // edit %d\n" % k)])
            s.diagnostics(name, version=v)
            times.append(time.monotonic() - start)
        s.shutdown_and_exit()
    os.unlink(log)
    return opened, statistics.median(times), max(times), len(diags)


def syntax_only(path, runs=3):
    best = None
    for _ in range(runs):
        start = time.monotonic()
        subprocess.run(["clang++-22", "-std=c++20", "-fsyntax-only", path],
                       check=True)
        t = time.monotonic() - start
        best = t if best is None else min(best, t)
    return best


def main():
    ap = argparse.ArgumentParser()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    ap.add_argument("--concur", default=os.path.join(root, "build", "bin", "concur"))
    ap.add_argument("--lines", type=int, nargs="*", default=[1000, 5000])
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--real", nargs="*", default=[])
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="concur-lsp-latency-")
    with open(os.path.join(work, "compile_flags.txt"), "w") as f:
        f.write("-std=c++20\n")
    print("| TU | clang++ -fsyntax-only | mode | open -> diagnostics | "
          "didChange -> publishDiagnostics (median / max of %d) | findings |"
          % a.edits)
    print("|---|---|---|---|---|---|")
    for lines in a.lines:
        text = generate(lines)
        path = os.path.join(work, "tu%d.cpp" % lines)
        with open(path, "w") as f:
            f.write(text)
        floor = syntax_only(path)
        for preamble in (True, False):
            opened, median, worst, found = measure(a.concur, path, text,
                                                   preamble, a.edits)
            print("| %d lines | %.0f ms | %s | %.0f ms | %.0f / %.0f ms | %d |" % (
                text.count("\n"), floor * 1000,
                "preamble" if preamble else "no preamble", opened * 1000,
                median * 1000, worst * 1000, found))
            sys.stdout.flush()
    for path in a.real:
        path = os.path.abspath(path)
        with open(path, errors="surrogateescape") as f:
            text = f.read()
        for preamble in (True, False):
            opened, median, worst, found = measure(a.concur, path, text,
                                                   preamble, a.edits)
            print("| %s (%d lines) | | %s | %.0f ms | %.0f / %.0f ms | %d |" % (
                os.path.basename(path), text.count("\n"),
                "preamble" if preamble else "no preamble", opened * 1000,
                median * 1000, worst * 1000, found))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
