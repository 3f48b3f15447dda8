//===- LspServer.h - concur --lsp --------------------------------*- C++ -*-===//
//
// A diagnostics-only language server (LSP 3.17 over stdio). It publishes
// the engine's findings for the documents an editor has open, analysing the
// unsaved text. The reader thread answers requests at once; one worker
// thread analyses, latest edit first, so `shutdown` never waits for a parse.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_LSP_LSPSERVER_H
#define CONCUR_DRIVER_LSP_LSPSERVER_H

#include "checks/engine/ApiModels.h"
#include "driver/config/FileSettings.h"
#include "checks/CheckRegistry.h"
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace concur::lsp {

struct ServerOptions {
  /// The command line's checks, rules and options, over the .clang-tidy
  /// files above each document.
  CommandLineSettings Settings;
  std::vector<std::string> ExtraArgs;
  /// A build directory with compile_commands.json (else found per file, or
  /// given by the client's initializationOptions.compilationDatabasePath).
  std::string CompilationDatabasePath;
  /// A facts directory (`concur extract`'s) to link each document with;
  /// else initializationOptions.factsDirectory, else the .concur directory
  /// beside the document's compile_commands.json when there is one.
  std::string FactsDir;
  /// The root the facts' paths are relative to (default: the facts
  /// directory's parent), as --source-root of the run that wrote them.
  std::string SourceRoot;
  /// How long a burst of edits must pause before concur analyses.
  unsigned DebounceMs = 200;
  /// Reuse a precompiled preamble per document between analyses.
  bool UsePreamble = true;
  /// Tests only: an analysis of a text containing this aborts, to show that
  /// the server survives a crash.
  std::string CrashMarker;
};

/// Serves until `exit` (or the end of input), then ends the process: with 0
/// after `shutdown`, 1 otherwise. An analysis still running is not waited
/// for.
[[noreturn]] void runServer(const ServerOptions &Options, std::FILE *In,
                            std::FILE *Out);

} // namespace concur::lsp

#endif
