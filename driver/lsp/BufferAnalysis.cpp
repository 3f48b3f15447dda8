//===- BufferAnalysis.cpp -------------------------------------------------===//

#include "driver/lsp/BufferAnalysis.h"
#include "clang/Driver/CreateInvocationFromArgs.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Lex/PPCallbacks.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>

using namespace clang;
using namespace clang::tooling;

namespace concur::lsp {

namespace {

/// Records the user headers the preamble enters.
class HeaderRecorder : public PPCallbacks {
public:
  HeaderRecorder(const SourceManager &SM, std::set<std::string> &Headers)
      : SM(SM), Headers(Headers) {}
  void FileChanged(SourceLocation Loc, FileChangeReason Reason,
                   SrcMgr::CharacteristicKind Kind, FileID) override {
    if (Reason != EnterFile || Kind != SrcMgr::C_User)
      return;
    if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(SM.getFileID(Loc))) {
      llvm::SmallString<256> Path(FE->getName());
      llvm::sys::fs::make_absolute(Path);
      llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
      Headers.insert(Path.str().str());
    }
  }

private:
  const SourceManager &SM;
  std::set<std::string> &Headers;
};

class PreambleBuild : public PreambleCallbacks {
public:
  explicit PreambleBuild(std::set<std::string> &Headers) : Headers(Headers) {}
  void BeforeExecute(CompilerInstance &CI) override { SM = &CI.getSourceManager(); }
  std::unique_ptr<PPCallbacks> createPPCallbacks() override {
    if (!SM)
      return nullptr;
    return std::make_unique<HeaderRecorder>(*SM, Headers);
  }
  /// clangd skips function bodies in the preamble to save time; concur
  /// cannot: summaries and model inference read the bodies of inline
  /// functions and templates declared in headers.
  bool shouldSkipFunctionBody(Decl *) override { return false; }

private:
  std::set<std::string> &Headers;
  const SourceManager *SM = nullptr;
};

double millisecondsSince(std::chrono::steady_clock::time_point Start) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - Start)
      .count();
}

} // namespace

FileResult analyzeBuffer(const BufferAnalysisInput &In,
                         const AnalysisOptions &Opts, PreambleSlot &Slot,
                         BufferAnalysisStats &Stats,
                         const std::function<void()> &OnPreambleBuild) {
  auto Start = std::chrono::steady_clock::now();
  FileResult Result;
  Result.File = In.File;

  // The adjustments ClangTool makes, then concur's own.
  CommandLineArguments Args = In.Command.CommandLine;
  for (const ArgumentsAdjuster &Adjust :
       {getClangStripOutputAdjuster(), getClangSyntaxOnlyAdjuster(),
        getClangStripDependencyFileAdjuster(),
        concurArgumentsAdjuster(Opts.ExtraArgs)})
    Args = Adjust(Args, In.File);

  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS = In.FS;
  if (!In.Command.Directory.empty())
    FS->setCurrentWorkingDirectory(In.Command.Directory);

  llvm::raw_string_ostream DiagStream(Result.Diagnostics);
  DiagnosticOptions DiagOpts;
  TextDiagnosticPrinter Printer(DiagStream, DiagOpts);
  IntrusiveRefCntPtr<DiagnosticsEngine> Diags =
      CompilerInstance::createDiagnostics(*FS, DiagOpts, &Printer,
                                          /*ShouldOwnClient=*/false);

  std::vector<const char *> CArgs;
  for (const std::string &A : Args)
    CArgs.push_back(A.c_str());
  CreateInvocationOptions CIOpts;
  CIOpts.Diags = Diags;
  CIOpts.VFS = FS;
  std::shared_ptr<CompilerInvocation> CI = createInvocation(CArgs, CIOpts);
  if (!CI || CI->getFrontendOpts().Inputs.empty()) {
    DiagStream << "concur: cannot build a compiler invocation for '" << In.File
               << "' from its compile command\n";
    Result.Failed = true;
    return Result;
  }
  CI->getFrontendOpts().DisableFree = false;
  std::string MainFile = CI->getFrontendOpts().Inputs[0].getFile().str();

  auto PCHOps = std::make_shared<PCHContainerOperations>();
  std::unique_ptr<llvm::MemoryBuffer> Buffer =
      llvm::MemoryBuffer::getMemBufferCopy(In.Text, MainFile);
  PreambleBounds Bounds = ComputePreambleBounds(
      CI->getLangOpts(), Buffer->getMemBufferRef(), /*MaxLines=*/0);
  bool Reusable = Slot.Preamble && Slot.Args == Args &&
                  Slot.Preamble->CanReuse(*CI, Buffer->getMemBufferRef(),
                                          Bounds, *FS);
  if (!Slot.Enabled) {
    Slot.Preamble.reset();
  } else if (!Reusable && Bounds.Size > 0) {
    if (OnPreambleBuild)
      OnPreambleBuild();
    auto PreambleStart = std::chrono::steady_clock::now();
    std::set<std::string> Headers;
    PreambleBuild Callbacks(Headers);
    Slot.Preamble.reset();
    llvm::ErrorOr<PrecompiledPreamble> Built = PrecompiledPreamble::Build(
        *CI, Buffer.get(), Bounds, Diags, FS, PCHOps, /*StoreInMemory=*/true,
        /*StoragePath=*/"", Callbacks);
    if (Built) {
      Slot.Preamble.emplace(std::move(*Built));
      Slot.Args = Args;
      Slot.Headers = std::move(Headers);
    } else {
      // Without a preamble the whole file is parsed each time: slower, the
      // same findings.
      DiagStream << "concur: no precompiled preamble for '" << In.File
                 << "': " << Built.getError().message() << "\n";
    }
    Stats.BuiltPreamble = true;
    Stats.PreambleMs = millisecondsSince(PreambleStart);
  } else if (Bounds.Size == 0) {
    Slot.Preamble.reset();
  }
  // The main file is the buffer, not the disk: the preamble remaps it
  // itself (remapping it twice would free it twice). Either way the source
  // manager takes the buffer over.
  if (Slot.Preamble) {
    Stats.PreambleBytes = Slot.Preamble->getSize();
    Slot.Preamble->AddImplicitPreamble(*CI, FS, Buffer.get());
    Stats.UsedPreamble = true;
  } else {
    CI->getPreprocessorOpts().addRemappedFile(MainFile, Buffer.get());
  }
  CI->getPreprocessorOpts().RetainRemappedFileBuffers = false;
  (void)Buffer.release();

  CompilerInstance Clang(CI, PCHOps);
  Clang.createVirtualFileSystem(FS, &Printer);
  Clang.createDiagnostics(&Printer, /*ShouldOwnClient=*/false);
  // Not "1 error generated." on stderr for every keystroke.
  Clang.setVerboseOutputStream(std::make_unique<llvm::raw_null_ostream>());
  std::unique_ptr<FrontendAction> Action = createFindingsAction(Opts, Result);
  bool OK = Clang.ExecuteAction(*Action);
  DiagStream.flush();
  Result.Failed = !OK || Printer.getNumErrors() != 0;
  Stats.TotalMs = millisecondsSince(Start);
  return Result;
}

} // namespace concur::lsp
