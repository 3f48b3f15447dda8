#!/usr/bin/env python3
"""Runs several commands at once and waits for all of them; exits with the
highest exit status. Used to run two concur processes on one facts
directory."""
import subprocess
import sys

commands = [c.split("\x1f") for c in "\x1f".join(sys.argv[1:]).split("\x1f;;\x1f")]
procs = [subprocess.Popen(c) for c in commands]
sys.exit(max(p.wait() for p in procs))
