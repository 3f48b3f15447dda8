#!/usr/bin/env python3
"""expect_exit.py N cmd args...: runs cmd, passes its output through, and
fails unless it exits with status N (lit's `not` accepts any failure)."""
import subprocess
import sys

want = int(sys.argv[1])
proc = subprocess.run(sys.argv[2:])
if proc.returncode != want:
    sys.stderr.write("expected exit status %d, got %d: %s\n"
                     % (want, proc.returncode, " ".join(sys.argv[2:])))
    sys.exit(1)
