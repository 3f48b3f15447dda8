//===- FileAnalysis.cpp ---------------------------------------------------===//

#include "driver/FileAnalysis.h"
#include "checks/CheckFactories.h"
#include "checks/engine/Version.h"
#include "driver/CompileCommands.h"
#include "driver/Nolint.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <chrono>

using namespace clang;
using namespace clang::tooling;

namespace concur {

namespace {

class FindingsConsumer : public ASTConsumer {
public:
  FindingsConsumer(CompilerInstance &CI, const AnalysisOptions &Opts,
                   FileResult &Result)
      : CI(CI), Opts(Opts), Result(Result) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    auto Start = std::chrono::steady_clock::now();
    EngineOptions EO;
    EO.UseThreadSafetyAnnotations = Opts.UseThreadSafetyAnnotations;
    EO.Cancelled = Opts.Cancelled;
    std::vector<GuardDecision> Guards;
    if (Opts.CollectGuards)
      EO.Guards = &Guards;
    std::vector<ModelReport> Models;
    if (Opts.CollectModels)
      EO.Models = &Models;
    std::vector<AcquisitionSite> Acquisitions;
    if (Opts.CollectStats)
      EO.Acquisitions = &Acquisitions;
    TranslationUnitFacts Facts;
    if (Opts.CollectFacts)
      EO.Facts = &Facts;
    std::vector<Finding> Findings =
        analyzeTranslationUnit(Ctx, *Opts.Models, Opts.Checks, EO);
    const SourceManager &SM = Ctx.getSourceManager();
    std::string WorkingDir;
    if (auto CWD = CI.getVirtualFileSystem().getCurrentWorkingDirectory())
      WorkingDir = *CWD;
    for (const GuardDecision &G : Guards)
      if (!SM.isInSystemHeader(G.FieldLoc))
        Result.Guards.push_back(
            {resolveLocation(SM, Ctx.getLangOpts(), G.FieldLoc, WorkingDir),
             G.Field, G.Guard, G.Annotated, G.Evidence, G.Accesses});
    for (const AcquisitionSite &A : Acquisitions) {
      ResolvedLocation L = resolveLocation(SM, Ctx.getLangOpts(), A.Loc, WorkingDir);
      Result.Acquisitions.push_back(
          {L.File + ":" + std::to_string(L.Line) + ":" + std::to_string(L.Column),
           A.How});
    }
    for (const ModelReport &M : Models)
      Result.Models.push_back(
          {resolveLocation(SM, Ctx.getLangOpts(), M.Loc, WorkingDir), M.Type,
           M.Kind, M.How, M.Detail});
    // One index per file: a file with many findings is scanned once.
    llvm::DenseMap<FileID, std::unique_ptr<NolintIndex>> Nolints;
    for (const Finding &F : Findings) {
      SourceLocation Loc = SM.getFileLoc(F.Loc);
      if (Loc.isInvalid() || SM.isInSystemHeader(Loc))
        continue;
      FileID File = SM.getFileID(Loc);
      std::unique_ptr<NolintIndex> &Nolint = Nolints[File];
      if (!Nolint) {
        bool Invalid = false;
        llvm::StringRef Text = SM.getBufferData(File, &Invalid);
        Nolint = std::make_unique<NolintIndex>(Invalid ? "" : Text);
      }
      Result.Findings.push_back(
          resolveFinding(SM, Ctx.getLangOpts(), F, WorkingDir));
      // Kept, marked: SARIF shows a reviewed suppression, text does not.
      if (Nolint->suppresses(SM.getSpellingLineNumber(Loc), F.CheckId))
        Result.Findings.back().Suppression = SuppressionInfo{"inSource", "NOLINT", "", 0};
    }
    if (Opts.CollectFacts) {
      Result.Facts = std::make_shared<UnitFacts>();
      auto Suppressed = [&](SourceLocation Loc, llvm::StringRef Check) {
        Loc = SM.getFileLoc(Loc);
        std::unique_ptr<NolintIndex> &Nolint = Nolints[SM.getFileID(Loc)];
        if (!Nolint) {
          bool Invalid = false;
          llvm::StringRef Text = SM.getBufferData(SM.getFileID(Loc), &Invalid);
          Nolint = std::make_unique<NolintIndex>(Invalid ? "" : Text);
        }
        return Nolint->suppresses(SM.getSpellingLineNumber(Loc), Check);
      };
      resolveFacts(Facts, SM, Ctx.getLangOpts(), WorkingDir, Suppressed,
                   *Result.Facts);
      Result.Facts->Dependencies = readDependencies(SM, WorkingDir);
    }
    Result.EngineMs = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - Start)
                          .count();
  }

private:
  CompilerInstance &CI;
  const AnalysisOptions &Opts;
  FileResult &Result;
};

class FindingsAction : public ASTFrontendAction {
public:
  FindingsAction(const AnalysisOptions &Opts, FileResult &Result)
      : Opts(Opts), Result(Result) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    return std::make_unique<FindingsConsumer>(CI, Opts, Result);
  }

private:
  const AnalysisOptions &Opts;
  FileResult &Result;
};

class FindingsActionFactory : public FrontendActionFactory {
public:
  FindingsActionFactory(const AnalysisOptions &Opts, FileResult &Result)
      : Opts(Opts), Result(Result) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<FindingsAction>(Opts, Result);
  }

private:
  const AnalysisOptions &Opts;
  FileResult &Result;
};

} // namespace

/// Points the front end at the builtin headers of the clang concur was built
/// against, unless the command names its own; compiler warnings are not ours
/// to report.
ArgumentsAdjuster concurArgumentsAdjuster(const std::vector<std::string> &Extra) {
  return [Extra](const CommandLineArguments &Args, llvm::StringRef) {
    CommandLineArguments Out(Args);
    bool HasResourceDir = false;
    for (const std::string &A : Args)
      HasResourceDir |= llvm::StringRef(A).starts_with("-resource-dir");
    if (!HasResourceDir)
      Out.push_back("-resource-dir=" CONCUR_CLANG_RESOURCE_DIR);
    Out.push_back("-w");
    Out.insert(Out.end(), Extra.begin(), Extra.end());
    return Out;
  };
}

std::unique_ptr<FrontendAction> createFindingsAction(const AnalysisOptions &Opts,
                                                     FileResult &Result) {
  return std::make_unique<FindingsAction>(Opts, Result);
}

namespace {

/// A build lists a file once per target that compiles it (a static and a
/// shared library): the findings are the same, so parse it once, with the
/// first command.
class FirstCommandDatabase : public CompilationDatabase {
public:
  explicit FirstCommandDatabase(const CompilationDatabase &Base) : Base(Base) {}
  std::vector<CompileCommand>
  getCompileCommands(llvm::StringRef File) const override {
    std::vector<CompileCommand> All = Base.getCompileCommands(File);
    if (All.size() > 1)
      All.resize(1);
    return All;
  }

private:
  const CompilationDatabase &Base;
};

} // namespace

FileResult analyzeFile(const CompilationDatabase &DB, const std::string &File,
                       const AnalysisOptions &Opts) {
  FileResult Result;
  Result.File = File;
  FirstCommandDatabase OneCommand(DB);
  std::vector<CompileCommand> Commands = OneCommand.getCompileCommands(File);
  if (!Commands.empty())
    if (std::optional<std::string> Problem = problemWithCommand(Commands[0])) {
      Result.Failed = true;
      Result.FailureReason = *Problem;
      return Result;
    }
  ClangTool Tool(OneCommand, {File}, std::make_shared<PCHContainerOperations>(),
                 llvm::vfs::createPhysicalFileSystem());
  Tool.appendArgumentsAdjuster(concurArgumentsAdjuster(Opts.ExtraArgs));

  llvm::raw_string_ostream DiagStream(Result.Diagnostics);
  DiagnosticOptions DiagOpts;
  DiagOpts.ShowColors = Opts.ColorDiagnostics;
  TextDiagnosticPrinter Printer(DiagStream, DiagOpts);
  Tool.setDiagnosticConsumer(&Printer);
  Tool.setPrintErrorMessage(false);

  FindingsActionFactory Factory(Opts, Result);
  int RC = Tool.run(&Factory);
  DiagStream.flush();
  if (RC != 0 || Printer.getNumErrors() != 0)
    Result.Failed = true;
  return Result;
}

} // namespace concur
