# With the facts a `concur extract -p <build dir>` run left in
# <build dir>/.concur, the server links each document with the rest of the
# project: server.cc calls Worker::stop with a lock held, and only
# worker.cc's facts say that it joins a thread. The buffer's fresh facts
# replace its file's stored ones; facts rewritten on disk are read again.
#
# RUN: rm -rf %t && mkdir -p %t && cp -r %S/../project/Inputs/worker %t/proj
# RUN: sed -e "s|@ROOT@|%/t/proj|g" %S/../project/Inputs/compile_commands.json.in > %t/proj/compile_commands.json
# RUN: env PYTHONPATH=%tools %python %s %concur %t/proj without-facts | FileCheck %s --check-prefix=WITHOUT
# RUN: cd %t/proj && %concur extract --quiet -p .
# RUN: env PYTHONPATH=%tools %python %s %concur %t/proj with-facts | FileCheck %s
import glob
import os
import subprocess
import sys
from lsp_client import Session, show

concur, root, mode = sys.argv[1], sys.argv[2], sys.argv[3]

if mode == "without-facts":
    # No facts directory: the document's own findings only. One named in
    # initializationOptions that does not exist is said.
    with Session([concur, "--lsp", "--lsp-debounce=0"], root) as s:
        s.initialize(options={"factsDirectory": "nowhere"})
        print(s.notification("window/showMessage")["message"])
        # WITHOUT: concur: no facts directory '{{.*}}/proj/nowhere': run `concur extract -p <build dir>` to write it
        s.open("src/server.cc")
        show(s.diagnostics("src/server.cc", version=1)["diagnostics"])
        # WITHOUT-NEXT: (no diagnostics)
        s.shutdown_and_exit()
    sys.exit(0)

with Session([concur, "--lsp", "--lsp-debounce=0"], root) as s:
    s.initialize()
    s.open("src/server.cc")
    print("opened")
    show(s.diagnostics("src/server.cc", version=1)["diagnostics"])
    # CHECK-LABEL: opened
    # CHECK-NEXT: 7:13-17 concur-lock-across-blocking-call (concur, 2) call to 'Worker::stop' blocks while holding lock 'mu_' (it calls 'std::thread::join')
    # CHECK-NEXT:   related server.cc:6:33 lock 'mu_' acquired here
    # CHECK-NEXT:   related worker.cc:10:23 'Worker::stop' calls 'finish'
    # CHECK-NEXT:   related worker.cc:7:7 'finish' calls 'std::thread::join', which blocks
    # CHECK-NOT: concur-

    # Typed, not saved: the stored facts of server.cc still call stop()
    # with the lock held, the buffer's do not.
    v = s.change("src/server.cc", [(6, 12, 6, 16, "size")])
    print("edited")
    show(s.diagnostics("src/server.cc", version=v)["diagnostics"])
    # CHECK-LABEL: edited
    # CHECK-NEXT: (no diagnostics)
    v = s.change("src/server.cc", [(6, 12, 6, 16, "stop")])
    print("undone")
    show(s.diagnostics("src/server.cc", version=v)["diagnostics"])
    # CHECK-LABEL: undone
    # CHECK-NEXT: 7:13-17 concur-lock-across-blocking-call

    # A facts file that cannot be read is said by name, and the rest of
    # the project is still linked.
    for f in glob.glob(os.path.join(root, ".concur", "*other*.facts")):
        with open(f, "w") as out:
            out.write("garbage")
    v = s.change("src/server.cc", [(0, 0, 0, 0, "")])
    print("corrupt")
    print(s.notification("window/showMessage")["message"])
    # CHECK-LABEL: corrupt
    # CHECK-NEXT: concur: unusable facts file '{{.*}}other{{.*}}.facts': {{.*}}; run `concur extract` again
    show(s.diagnostics("src/server.cc", version=v)["diagnostics"])
    # CHECK-NEXT: 7:13-17 concur-lock-across-blocking-call
    # worker.cc's stop() no longer waits, and the facts are extracted
    # again: the next analysis reads them.
    with open(s.path("src/worker.cc")) as f:
        text = f.read()
    with open(s.path("src/worker.cc"), "w") as f:
        f.write(text.replace("void Worker::stop() { finish(thread_); }",
                             "void Worker::stop() { thread_.detach(); }"))
    subprocess.run([concur, "extract", "--quiet", "-p", "."], cwd=root, check=True)
    v = s.change("src/server.cc", [(0, 0, 0, 0, "")])
    print("re-extracted")
    show(s.diagnostics("src/server.cc", version=v)["diagnostics"])
    # CHECK-LABEL: re-extracted
    # CHECK-NEXT: (no diagnostics)

    print(s.shutdown_and_exit())
    # CHECK-NEXT: (None, 0)
