#!/bin/sh
# Starts concur --lsp for an editor test and writes its exit status to
# $CONCUR_OUT.exit, so the test can check how the server ended. The server
# runs in a session of its own: a client that kills its server process
# right after sending `exit` (eglot does) kills this shell, not concur,
# whose own status is what the test checks.
exec setsid --wait sh -c '"$CONCUR_REAL_BIN" --lsp --lsp-debounce=50 2>"$CONCUR_OUT.stderr"
                          echo $? > "$CONCUR_OUT.exit"'
