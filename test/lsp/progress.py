# window/workDoneProgress: a client that supports it is asked to create a
# token, then sees begin and end around the slow part (parsing a document's
# includes into its preamble); a client that does not gets no progress.
#
# RUN: rm -rf %t && cp -r %S/Inputs/project %t
# RUN: env PYTHONPATH=%tools %python %s %concur %t | FileCheck %s
import sys
from lsp_client import Session

concur, root = sys.argv[1], sys.argv[2]

with Session([concur, "--lsp", "--lsp-debounce=0"], root) as s:
    s.initialize(capabilities={"window": {"workDoneProgress": True}})
    s.open("workers.cpp")
    create = s.wait(lambda m: m.get("method") == "window/workDoneProgress/create",
                    "a progress token request")
    s.send({"jsonrpc": "2.0", "id": create["id"], "result": None})
    token = create["params"]["token"]
    begin = s.notification("$/progress")
    end = s.notification("$/progress")
    print("token", begin["token"] == token, end["token"] == token)
    print("begin", begin["value"]["kind"], begin["value"]["title"],
          begin["value"]["message"])
    print("end", end["value"]["kind"], end["value"]["message"])
    # CHECK: token True True
    # CHECK-NEXT: begin begin concur parsing the includes of workers.cpp
    # CHECK-NEXT: end end 2 findings
    s.diagnostics("workers.cpp")  # this client did not ask for versions
    # An edit below the includes reuses the preamble: no progress.
    s.change("workers.cpp", [(9, 0, 9, 0, "\n")])
    s.diagnostics("workers.cpp")
    print("progress messages", len([m for m in s.seen
                                    if m.get("method") == "$/progress"]))
    # CHECK-NEXT: progress messages 2
    s.shutdown_and_exit()

with Session([concur, "--lsp", "--lsp-debounce=0"], root) as s:
    s.initialize(capabilities={})
    s.open("workers.cpp")
    s.diagnostics("workers.cpp")
    print("without support", len([m for m in s.seen if "progress" in
                                  m.get("method", "").lower()]))
    # CHECK-NEXT: without support 0
    s.shutdown_and_exit()
