# The facts directory's models.json reaches the editor: db.cc sees only the
# declarations of InstrumentedMutex and port::Mutex, whose bodies are in
# instrumented.cc and port/mutex.cc. With the project's facts, the guard in
# DB::Flush is a guard and its sleep is reported; without them, nothing.
#
# RUN: rm -rf %t && mkdir -p %t && cp -r %S/../project/Inputs/lockwrap %t/proj
# RUN: sed -e "s|@ROOT@|%/t/proj|g" %S/../project/Inputs/lockwrap/compile_commands.json.in > %t/proj/compile_commands.json
# RUN: env PYTHONPATH=%tools %python %s %concur %t/proj without | FileCheck %s --check-prefix=WITHOUT
# RUN: cd %t/proj && %concur extract --quiet -p . --checks=-*,concur-lock-across-blocking-call
# RUN: env PYTHONPATH=%tools %python %s %concur %t/proj with | FileCheck %s
import sys
from lsp_client import Session, show

concur, root, mode = sys.argv[1], sys.argv[2], sys.argv[3]

with Session([concur, "--lsp", "--lsp-debounce=0",
              "--checks=-*,concur-lock-across-blocking-call"], root) as s:
    s.initialize()
    s.open("db.cc")
    print("opened")
    show(s.diagnostics("db.cc", version=1)["diagnostics"])
    # WITHOUT-LABEL: opened
    # WITHOUT-NEXT: (no diagnostics)
    # CHECK-LABEL: opened
    # CHECK-NEXT: 17:3-8 concur-lock-across-blocking-call (concur, 2) call to 'sleep' blocks while holding lock 'mu_'
    # CHECK-NEXT:   related db.cc:15:25 lock 'mu_' acquired here
    # CHECK-NOT: concur-
    s.shutdown_and_exit()
