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
// `IgnoreThreadSafetyAnnotations` (false by default).
//
//===----------------------------------------------------------------------===//

#include "checks/engine/ApiModels.h"
#include "checks/CheckRegistry.h"
#include "checks/CheckFactories.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include <map>
#include <mutex>

using namespace clang;
using namespace clang::ast_matchers;

namespace concur {
namespace tidy {

namespace {

/// Models are loaded once per distinct Rules option and shared.
llvm::Expected<std::shared_ptr<const ApiModels>>
modelsFor(const std::string &RulesOption) {
  static std::mutex Mutex;
  static std::map<std::string, std::shared_ptr<const ApiModels>> Cache;
  std::lock_guard<std::mutex> Lock(Mutex);
  auto It = Cache.find(RulesOption);
  if (It != Cache.end())
    return It->second;
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  llvm::StringRef(RulesOption).split(Parts, ';', -1, false);
  std::vector<std::string> Files;
  for (llvm::StringRef P : Parts)
    if (!P.trim().empty())
      Files.push_back(P.trim().str());
  auto Models = ApiModels::load(Files);
  if (!Models)
    return Models.takeError();
  Cache[RulesOption] = *Models;
  return *Models;
}

/// The findings of every enabled concur check for the TU being checked:
/// the first concur check to run computes them all in one engine run, the
/// others take their share. clang-tidy checks one TU at a time.
struct SharedRun {
  const TranslationUnitDecl *TU = nullptr;
  std::string Key; ///< the rules and options the run was made with
  std::vector<Finding> Findings;
};

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
        IgnoreAnnotations(Options.get("IgnoreThreadSafetyAnnotations", false)) {}

  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override {
    Options.store(Opts, "Rules", Rules);
    Options.store(Opts, "IgnoreThreadSafetyAnnotations", IgnoreAnnotations);
  }

  /// The shared findings die with their TU (a new TU may reuse its address).
  void onEndOfTranslationUnit() override { sharedRun() = SharedRun(); }

  void registerMatchers(MatchFinder *Finder) override {
    Finder->addMatcher(translationUnitDecl().bind("tu"), this);
  }

  void check(const MatchFinder::MatchResult &Result) override {
    auto Models = modelsFor(Rules);
    if (!Models) {
      // An error, not a warning: a run that silently checks nothing must
      // not pass a CI gate.
      configurationDiag("%0", DiagnosticIDs::Error)
          << llvm::toString(Models.takeError());
      return;
    }
    SharedRun &Run = sharedRun();
    std::string Key = Rules + (IgnoreAnnotations ? "|ignore-annotations" : "");
    const TranslationUnitDecl *TU = Result.Context->getTranslationUnitDecl();
    if (Run.TU != TU || Run.Key != Key) {
      std::string Enabled = "-*";
      for (const CheckInfo &C : allChecks())
        if (TidyContext->isCheckEnabled(C.Id))
          Enabled += std::string(",") + C.Id;
      EngineOptions EO;
      EO.UseThreadSafetyAnnotations = !IgnoreAnnotations;
      Run.Findings = analyzeTranslationUnit(*Result.Context, **Models,
                                            CheckFilter(Enabled), EO);
      Run.TU = TU;
      Run.Key = Key;
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
  }

private:
  clang::tidy::ClangTidyContext *TidyContext;
  std::string CheckName;
  std::string Rules;
  bool IgnoreAnnotations;
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
