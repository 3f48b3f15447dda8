//===- ConcurTidyModule.cpp - concur checks inside clang-tidy -------------===//
//
// A thin adapter: every concur check is a clang-tidy check that runs the
// shared engine once per translation unit and turns each finding into a
// warning with its notes. clang-tidy handles NOLINT, --header-filter and
// output. Load it with:
//
//   clang-tidy-22 --load=build/lib/libConcurTidyPlugin.so --checks='-*,concur-*'
//
// Options (per check, in .clang-tidy CheckOptions): `Rules`, a
// semicolon-separated list of extra rules files; for concur-unguarded-field,
// `IgnoreThreadSafetyAnnotations` (false by default); `FactsDir` (per check
// or global), a facts directory a `concur extract` run wrote: the TU's fresh
// facts are linked with the other units' stored ones, and the findings that
// need the project (docs/cli.md, "Project-wide analysis") are reported too.
//
//===----------------------------------------------------------------------===//

#include "checks/engine/ApiModels.h"
#include "checks/CheckRegistry.h"
#include "checks/CheckFactories.h"
#include "driver/facts/StoredProject.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <map>
#include <mutex>
#include <set>

using namespace clang;
using namespace clang::ast_matchers;

namespace concur {
namespace tidy {

namespace {

/// Models are loaded once per distinct Rules option and shared.
/// With a facts directory, the lock models the project's other files infer
/// (ProjectModels) go under the rules.
llvm::Expected<std::shared_ptr<const ApiModels>>
modelsFor(const std::string &RulesOption, const std::string &ProjectModelsName = "",
          const std::string &ProjectModels = "") {
  static std::mutex Mutex;
  static std::map<std::string, std::shared_ptr<const ApiModels>> Cache;
  std::lock_guard<std::mutex> Lock(Mutex);
  std::string Key = RulesOption + '\0' + ProjectModels;
  auto It = Cache.find(Key);
  if (It != Cache.end())
    return It->second;
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  llvm::StringRef(RulesOption).split(Parts, ';', -1, false);
  std::vector<std::string> Files;
  for (llvm::StringRef P : Parts)
    if (!P.trim().empty())
      Files.push_back(P.trim().str());
  auto Models = ApiModels::load(Files, ProjectModelsName, ProjectModels);
  if (!Models)
    return Models.takeError();
  Cache[Key] = *Models;
  return *Models;
}

/// The findings of every enabled concur check for the TU being checked:
/// the first concur check to run computes them all in one engine run, the
/// others take their share. clang-tidy checks one TU at a time.
struct SharedRun {
  const TranslationUnitDecl *TU = nullptr;
  std::string Key; ///< the rules and options the run was made with
  std::vector<Finding> Findings;
  /// With FactsDir: the link's findings about this TU.
  std::vector<ResolvedFinding> Linked;
  /// Problems with the facts directory, said once per TU.
  std::vector<std::string> FactsProblems;
};

/// A facts directory's stored facts, kept between TUs (clang-tidy checks
/// many TUs in one process) and refreshed before each link.
StoredProject &storedProject(const std::string &Dir) {
  static std::map<std::string, std::unique_ptr<StoredProject>> Projects;
  std::unique_ptr<StoredProject> &P = Projects[Dir];
  if (!P)
    P = std::make_unique<StoredProject>(FactsStore(Dir, defaultSourceRoot(Dir)));
  return *P;
}

std::string workingDirOf(const SourceManager &SM) {
  auto CWD = SM.getFileManager().getVirtualFileSystem().getCurrentWorkingDirectory();
  return CWD ? *CWD : std::string();
}

/// The facts directory the option names, relative to the compile
/// command's directory: `.concur` names the driver's default beside a CMake
/// build's compile_commands.json.
std::string factsDirOf(const SourceManager &SM, const std::string &FactsDirOption) {
  llvm::SmallString<256> Dir(FactsDirOption);
  if (!llvm::sys::path::is_absolute(Dir)) {
    Dir = workingDirOf(SM);
    llvm::sys::path::append(Dir, FactsDirOption);
  }
  llvm::sys::path::remove_dots(Dir, /*remove_dot_dot=*/true);
  return Dir.str().str();
}

/// Links the TU's facts with the facts directory's: the findings of the
/// link about this TU that its own findings do not already hold.
void linkWithProject(ASTContext &Ctx, const TranslationUnitFacts &Facts,
                     const std::string &FactsDirOption, const CheckFilter &Enabled,
                     SharedRun &Run) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::string WorkingDir = workingDirOf(SM);
  llvm::SmallString<256> Dir(factsDirOf(SM, FactsDirOption));
  if (!llvm::sys::fs::is_directory(Dir)) {
    Run.FactsProblems.push_back(
        "no facts directory '" + Dir.str().str() +
        "' (FactsDir): run `concur extract -p <build dir>` to write it; "
        "only this translation unit's own findings are reported");
    return;
  }
  StoredProject &Project = storedProject(Dir.str().str());
  for (std::string &Problem : Project.refresh())
    Run.FactsProblems.push_back("unusable facts file " + Problem +
                                "; run `concur extract` again");

  UnitFacts Fresh;
  // clang-tidy applies NOLINT to what is emitted; nothing to mark here.
  resolveFacts(Facts, SM, Ctx.getLangOpts(), WorkingDir,
               [](SourceLocation, llvm::StringRef) { return false; }, Fresh);
  Fresh.MainFile =
      resolveLocation(SM, Ctx.getLangOpts(),
                      SM.getLocForStartOfFile(SM.getMainFileID()), WorkingDir)
          .File;
  llvm::Expected<UnitFacts> Normal =
      normalisedFacts(Fresh, Project.store().root());
  if (!Normal) {
    Run.FactsProblems.push_back(llvm::toString(Normal.takeError()));
    return;
  }
  std::set<std::tuple<std::string, unsigned, unsigned, std::string>> Own;
  for (const Finding &F : Run.Findings) {
    ResolvedLocation L = resolveLocation(SM, Ctx.getLangOpts(), F.Loc, WorkingDir);
    Own.insert({L.File, L.Line, L.Column, F.CheckId});
  }
  for (ResolvedFinding &F : Project.linkWith(*Normal, Enabled))
    if (!Own.count({F.Loc.File, F.Loc.Line, F.Loc.Column, F.CheckId}))
      Run.Linked.push_back(std::move(F));
}

/// Where a resolved location is in this TU's source manager; a file the TU
/// did not read (the other end of a cross-file note) is added to it, named
/// relative to the working directory when it is below it, as the compile
/// command names its own files.
SourceLocation locationOf(SourceManager &SM, const ResolvedLocation &L) {
  if (!L.valid())
    return SourceLocation();
  llvm::StringRef Name = L.File;
  std::string WorkingDir = workingDirOf(SM);
  if (!WorkingDir.empty() && Name.consume_front(WorkingDir) &&
      Name.consume_front("/")) {
    // relative
  } else {
    Name = L.File;
  }
  auto File = SM.getFileManager().getOptionalFileRef(Name);
  if (!File)
    return SourceLocation();
  FileID ID = SM.translateFile(*File);
  if (ID.isInvalid())
    ID = SM.createFileID(*File, SourceLocation(), SrcMgr::C_User);
  return SM.translateLineCol(ID, L.Line, L.Column);
}

SharedRun &sharedRun() {
  static SharedRun Run;
  return Run;
}

} // namespace

class ConcurCheck : public clang::tidy::ClangTidyCheck {
public:
  ConcurCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
      : ClangTidyCheck(Name, Context), TidyContext(Context),
        CheckName(Name.str()),
        Rules(Options.get("Rules", "")),
        IgnoreAnnotations(Options.get("IgnoreThreadSafetyAnnotations", false)),
        FactsDir(Options.getLocalOrGlobal("FactsDir", "")) {}

  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override {
    Options.store(Opts, "Rules", Rules);
    Options.store(Opts, "IgnoreThreadSafetyAnnotations", IgnoreAnnotations);
    Options.store(Opts, "FactsDir", FactsDir);
  }

  /// The shared findings die with their TU (a new TU may reuse its address).
  void onEndOfTranslationUnit() override { sharedRun() = SharedRun(); }

  void registerMatchers(MatchFinder *Finder) override {
    Finder->addMatcher(translationUnitDecl().bind("tu"), this);
  }

  void check(const MatchFinder::MatchResult &Result) override {
    std::string ModelsName, ModelsText, ModelsProblem;
    if (!FactsDir.empty()) {
      std::string Dir = factsDirOf(*Result.SourceManager, FactsDir);
      if (llvm::sys::fs::is_directory(Dir)) {
        StoredProject &Project = storedProject(Dir);
        ModelsText = Project.modelsText(ModelsProblem);
        ModelsName = Project.modelsPath();
      }
    }
    auto Models = modelsFor(Rules, ModelsName, ModelsText);
    if (!Models) {
      // An error, not a warning: a run that silently checks nothing must
      // not pass a CI gate.
      configurationDiag("%0", DiagnosticIDs::Error)
          << llvm::toString(Models.takeError());
      return;
    }
    SharedRun &Run = sharedRun();
    std::string Key = Rules + (IgnoreAnnotations ? "|ignore-annotations" : "") +
                      "|facts:" + FactsDir;
    const TranslationUnitDecl *TU = Result.Context->getTranslationUnitDecl();
    if (Run.TU != TU || Run.Key != Key) {
      std::string Enabled = "-*";
      for (const CheckInfo &C : allChecks())
        if (TidyContext->isCheckEnabled(C.Id))
          Enabled += std::string(",") + C.Id;
      EngineOptions EO;
      EO.UseThreadSafetyAnnotations = !IgnoreAnnotations;
      TranslationUnitFacts Facts;
      if (!FactsDir.empty())
        EO.Facts = &Facts;
      Run = SharedRun();
      Run.Findings = analyzeTranslationUnit(*Result.Context, **Models,
                                            CheckFilter(Enabled), EO);
      if (!FactsDir.empty())
        linkWithProject(*Result.Context, Facts, FactsDir, CheckFilter(Enabled), Run);
      Run.TU = TU;
      Run.Key = Key;
      if (!ModelsProblem.empty())
        Run.FactsProblems.push_back("ignoring the project's lock models: " +
                                    ModelsProblem);
      for (const std::string &Problem : Run.FactsProblems)
        configurationDiag("concur: %0") << Problem;
    }
    for (const Finding &F : Run.Findings) {
      if (F.CheckId != CheckName)
        continue;
      // clang-tidy has no top-level note: a note-level finding is a remark.
      {
        DiagnosticBuilder D =
            diag(F.Loc, "%0",
                 F.Level == FindingLevel::Note ? DiagnosticIDs::Remark
                                               : DiagnosticIDs::Warning)
            << F.Message;
        for (const FindingFix &Fix : F.Fixes)
          D << FixItHint::CreateReplacement(Fix.Range, Fix.Text);
      }
      for (const FindingNote &N : F.Notes)
        diag(N.Loc, "%0", DiagnosticIDs::Note) << N.Message;
      for (const FindingNote &N : F.CallChain)
        diag(N.Loc, "%0", DiagnosticIDs::Note) << N.Message;
    }
    SourceManager &SM = *Result.SourceManager;
    for (const ResolvedFinding &F : Run.Linked) {
      if (F.CheckId != CheckName)
        continue;
      SourceLocation Loc = locationOf(SM, F.Loc);
      if (Loc.isInvalid())
        continue;
      diag(Loc, "%0",
           F.Level == "note" ? DiagnosticIDs::Remark : DiagnosticIDs::Warning)
          << F.Message;
      for (const auto *Notes : {&F.Notes, &F.CallChain})
        for (const ResolvedNote &N : *Notes)
          if (SourceLocation At = locationOf(SM, N.Loc); At.isValid())
            diag(At, "%0", DiagnosticIDs::Note) << N.Message;
    }
  }

private:
  clang::tidy::ClangTidyContext *TidyContext;
  std::string CheckName;
  std::string Rules;
  bool IgnoreAnnotations;
  std::string FactsDir;
};

class ConcurModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
    for (const CheckInfo &C : allChecks())
      Factories.registerCheckFactory(
          C.Id, [](llvm::StringRef Name, clang::tidy::ClangTidyContext *Ctx) {
            return std::make_unique<ConcurCheck>(Name, Ctx);
          });
  }
};

} // namespace tidy
} // namespace concur

static clang::tidy::ClangTidyModuleRegistry::Add<concur::tidy::ConcurModule>
    X("concur-module", "Concurrency bug checks from concur.");
