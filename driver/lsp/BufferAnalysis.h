//===- BufferAnalysis.h - Analyse an editor's unsaved buffer -*- C++ -*-===//
//
// The LSP server analyses the text the user is typing, not the file on
// disk, and does it after every pause in typing. Parsing the standard
// headers again each time would cost most of a second; like clangd, concur
// keeps a precompiled preamble per document (the #include block at the top,
// parsed once into an in-memory PCH) and reparses only the rest while the
// preamble is still valid.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_LSP_BUFFERANALYSIS_H
#define CONCUR_DRIVER_LSP_BUFFERANALYSIS_H

#include "driver/FileAnalysis.h"
#include "clang/Frontend/PrecompiledPreamble.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <functional>
#include <optional>
#include <set>

namespace concur::lsp {

/// One document's preamble and the command line it was built for.
struct PreambleSlot {
  /// Off: parse the whole buffer every time (to measure what it saves).
  bool Enabled = true;
  std::vector<std::string> Args;
  std::optional<clang::PrecompiledPreamble> Preamble;
  /// The user's (non-system) headers the preamble includes, absolute: when
  /// one is saved, the document is analysed again.
  std::set<std::string> Headers;
};

struct BufferAnalysisInput {
  std::string File; ///< absolute path of the document
  llvm::StringRef Text;
  clang::tooling::CompileCommand Command;
  /// The disk with every open document's unsaved text laid over it.
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS;
};

struct BufferAnalysisStats {
  bool BuiltPreamble = false;
  bool UsedPreamble = false;
  double PreambleMs = 0, TotalMs = 0;
  size_t PreambleBytes = 0; ///< held in memory while the document is open
};

/// Parses the buffer with Slot's preamble (rebuilding it first when the
/// include block, a header in it or the command changed) and runs the
/// engine. OnPreambleBuild is called before a rebuild (for progress).
FileResult analyzeBuffer(const BufferAnalysisInput &In,
                         const AnalysisOptions &Opts, PreambleSlot &Slot,
                         BufferAnalysisStats &Stats,
                         const std::function<void()> &OnPreambleBuild);

} // namespace concur::lsp

#endif
