//===- ConcurMain.cpp - The concur command --------------------------------===//
//
//   concur [options] <files...> [-- <compiler flags>]
//   concur -p <build dir> [files...]       extract every TU's facts, then link
//   concur extract -p <build dir> [files...]   only extract (a CI shard)
//   concur link --facts-dir=<dir>          only link the facts of a directory
//   concur merge <a.sarif> <b.sarif>... [-o <out.sarif>]
//
// Compile commands come from `-p <build dir>`, from the flags after `--`,
// or, with neither, from a compile_commands.json or compile_flags.txt in the
// file's directory or a parent, or their build/ (clangd's conventions).
//
//===----------------------------------------------------------------------===//

#include "checks/engine/ApiModels.h"
#include "checks/CheckRegistry.h"
#include "checks/engine/Version.h"
#include "driver/Baseline.h"
#include "driver/CodeClimate.h"
#include "driver/FixOutput.h"
#include "driver/config/FileSettings.h"
#include "driver/PathRenames.h"
#include "driver/CompileCommands.h"
#include "driver/FileAnalysis.h"
#include "driver/Fingerprint.h"
#include "driver/OutputFile.h"
#include "driver/SarifMerge.h"
#include "driver/SarifWriter.h"
#include "driver/Suppressions.h"
#include "driver/TextOutput.h"
#include "driver/facts/FactsStore.h"
#include "driver/facts/ProjectModels.h"
#include "driver/facts/ProjectLink.h"
#include "driver/lsp/LspServer.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/WithColor.h"
#include <algorithm>
#include <map>
#include <mutex>
#include <set>

using namespace clang::tooling;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory ConcurCategory("concur options");

cl::list<std::string> Files(cl::Positional, cl::desc("<files...>"),
                            cl::cat(ConcurCategory));
cl::opt<std::string> BuildPath(
    "p", cl::desc("Build directory with compile_commands.json; with no files, "
                  "analyse every file it lists"),
    cl::value_desc("build dir"), cl::cat(ConcurCategory));
cl::opt<std::string> ChecksOpt(
    "checks",
    cl::desc("Comma-separated globs of checks to run, as clang-tidy reads "
             "them ('-' removes); default: concur-*"),
    cl::init("concur-*"), cl::cat(ConcurCategory));
cl::opt<bool> NoTidyConfig(
    "no-clang-tidy-config",
    cl::desc("Read no .clang-tidy file (by default each file's nearest one, "
             "as clang-tidy reads it, sets its checks, rules and options; "
             "the command line overrides it)"),
    cl::cat(ConcurCategory));
cl::list<std::string> RulesFiles(
    "rules", cl::desc("A rules file of API models to add (repeatable)"),
    cl::value_desc("file.json"), cl::cat(ConcurCategory));
cl::opt<unsigned> Jobs("j",
                       cl::desc("Translation units analysed in parallel "
                                "(default: the number of cores)"),
                       cl::init(0), cl::Prefix, cl::cat(ConcurCategory));
cl::opt<bool> Quiet("quiet",
                    cl::desc("No progress line and no summary on stderr"),
                    cl::cat(ConcurCategory));
cl::opt<std::string> SarifPath(
    "sarif", cl::desc("Write SARIF 2.1.0 to this file ('-' for stdout)"),
    cl::value_desc("file"), cl::cat(ConcurCategory));
cl::opt<bool> ApplyFixes(
    "fix",
    cl::desc("Apply the fix-its of the findings reported, in place (as "
             "clang-tidy --fix)"),
    cl::cat(ConcurCategory));
cl::opt<std::string> ExportFixesPath(
    "export-fixes",
    cl::desc("Write the findings reported and their fix-its as clang-tidy's "
             "YAML, for clang-apply-replacements"),
    cl::value_desc("file.yaml"), cl::cat(ConcurCategory));
cl::opt<std::string> CodeClimatePath(
    "codeclimate",
    cl::desc("Write GitLab's Code Quality report (CodeClimate JSON: every "
             "finding that is not suppressed) to this file ('-' for stdout)"),
    cl::value_desc("file"), cl::cat(ConcurCategory));
cl::opt<std::string> SourceRoot(
    "source-root",
    cl::desc("Files below this directory get %SRCROOT%-relative URIs in "
             "SARIF (default: the current directory)"),
    cl::cat(ConcurCategory));
cl::list<std::string> ExtraArgs(
    "extra-arg", cl::desc("An argument to append to every compile command"),
    cl::cat(ConcurCategory));
cl::opt<bool> ListChecks("list-checks",
                         cl::desc("List the checks --checks enables and exit"),
                         cl::cat(ConcurCategory));
cl::opt<bool> IgnoreAnnotations(
    "ignore-thread-safety-annotations",
    cl::desc("concur-unguarded-field: infer every guard, ignoring GUARDED_BY "
             "and REQUIRES (to compare inference with annotations)"),
    cl::cat(ConcurCategory));
cl::opt<bool> DumpGuards(
    "dump-guards",
    cl::desc("concur-unguarded-field: print the guard decided for each field "
             "and the evidence, then the findings"),
    cl::cat(ConcurCategory));
cl::opt<bool> DumpModels(
    "dump-models",
    cl::desc("Print every lock, guard, condition-variable, channel and "
             "WaitGroup type recognised and how (built-in rule, user rule, "
             "attributes, inferred from its body), and the lock-like types "
             "left without a model, then the findings"),
    cl::cat(ConcurCategory));
cl::list<std::string> ExceptBuiltinRules(
    "except-builtin-rules", cl::Hidden, cl::CommaSeparated,
    cl::desc("Leave these built-in rules files out (rocksdb.json): to measure "
             "what concur infers without them"),
    cl::cat(ConcurCategory));
cl::opt<bool> LockStats(
    "lock-stats",
    cl::desc("Print how many lock acquisitions of the code concur recognised, "
             "by where their model came from (rules, attributes, bodies)"),
    cl::cat(ConcurCategory));
cl::opt<std::string> Baseline(
    "baseline",
    cl::desc("A previous SARIF log: mark each finding new or unchanged, list "
             "the ones that are gone as absent, and fail only on new ones"),
    cl::value_desc("previous.sarif"), cl::cat(ConcurCategory));
cl::opt<std::string> FingerprintRenames(
    "fingerprint-renames",
    cl::desc("Files renamed since this run, one 'OLD<tab>NEW' per line "
             "(relative to --source-root): fingerprints are computed under "
             "the new names, so that this run, used as a --baseline after "
             "the rename, still matches (concur-gate passes git's renames)"),
    cl::value_desc("file"), cl::cat(ConcurCategory));
cl::opt<std::string> SuppressionsPath(
    "suppressions",
    cl::desc("A file of accepted findings (by check, path glob, fingerprint), "
             "each with a justification"),
    cl::value_desc("file.json"), cl::cat(ConcurCategory));
cl::opt<bool> ExitZero(
    "exit-zero",
    cl::desc("Exit with 0 when there are findings (report only); errors "
             "still exit with 2"),
    cl::cat(ConcurCategory));
/// Levels in the order of concur::levelRank.
enum FailLevel { FailOnNote = 0, FailOnWarning = 1 };
cl::opt<FailLevel> FailOn(
    "fail-on",
    cl::desc("The least level of finding that is printed and fails the run "
             "(exit 1); SARIF keeps every level"),
    cl::values(clEnumValN(FailOnWarning, "warning",
                          "warnings and errors (default): a note is a "
                          "stale read that rarely matters"),
               clEnumValN(FailOnNote, "note", "every finding")),
    cl::init(FailOnWarning), cl::cat(ConcurCategory));
cl::opt<std::string> Category(
    "category",
    cl::desc("SARIF runAutomationDetails category, to upload several "
             "analyses of one commit (e.g. linux-clang)"),
    cl::cat(ConcurCategory));
cl::opt<bool> Lsp(
    "lsp",
    cl::desc("Serve the Language Server Protocol on stdin/stdout: editors "
             "show the findings of the files they have open, as you type"),
    cl::cat(ConcurCategory));
cl::opt<unsigned> LspDebounce(
    "lsp-debounce",
    cl::desc("With --lsp: milliseconds a burst of edits must pause before "
             "the document is analysed again (default 200)"),
    cl::init(200), cl::cat(ConcurCategory));
cl::opt<bool> LspPreamble(
    "lsp-preamble",
    cl::desc("With --lsp: keep each document's #include block precompiled "
             "between analyses (default on; off to measure what it saves)"),
    cl::init(true), cl::cat(ConcurCategory));
cl::opt<std::string> LspCrashMarker(
    "lsp-crash-on", cl::Hidden,
    cl::desc("Tests only: abort the analysis of a text containing this"),
    cl::cat(ConcurCategory));
cl::opt<std::string> FactsDirOpt(
    "facts-dir",
    cl::desc("Where each translation unit's facts are kept for the "
             "project-wide link and re-runs (default: <build dir>/.concur "
             "with -p)"),
    cl::value_desc("dir"), cl::cat(ConcurCategory));
cl::opt<bool> Verbose(
    "verbose",
    cl::desc("Say which translation units were extracted and how many were "
             "reused from the facts directory"),
    cl::cat(ConcurCategory));
cl::opt<std::string> UseColor(
    "use-color", cl::desc("Colours in text output: auto, always or never"),
    cl::init("auto"), cl::cat(ConcurCategory));

constexpr int ExitClean = 0, ExitFindings = 1, ExitError = 2;

std::string absolutePath(llvm::StringRef P) {
  llvm::SmallString<256> Abs(P);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return Abs.str().str();
}

/// Completes a freshly extracted TU's facts, keeps them (read back as a
/// later run will read them, so that both runs report the same) and writes
/// them to the store. Returns a problem with writing, if any.
std::string keepFacts(const concur::FactsStore &Store, const std::string &MainFile,
                      const std::string &Key, concur::FileResult &Result,
                      std::shared_ptr<concur::UnitFacts> &Kept) {
  concur::UnitFacts &U = *Result.Facts;
  U.MainFile = MainFile;
  U.Key = Key;
  U.Failed = Result.Failed;
  U.Findings = Result.Findings;
  llvm::Expected<concur::UnitFacts> Normal = concur::normalisedFacts(U, Store.root());
  if (!Normal)
    return "cannot keep the facts of '" + MainFile +
           "': " + llvm::toString(Normal.takeError());
  Result.Findings = Normal->Findings;
  Kept = std::make_shared<concur::UnitFacts>(std::move(*Normal));
  Result.Facts.reset();
  if (Key.empty())
    return "";
  if (llvm::Error E = Store.save(*Kept))
    return "cannot write facts to '" + Store.dir() + "': " + llvm::toString(std::move(E));
  return "";
}

/// What the extraction rounds need of a unit whose facts are on disk: its
/// lock models and what it depends on. The rest is read back for the link,
/// so that the memory of extraction is that of its parses, not of the
/// project's facts.
std::shared_ptr<concur::UnitFacts> modelsOnly(concur::UnitFacts &U) {
  auto Slim = std::make_shared<concur::UnitFacts>();
  Slim->MainFile = std::move(U.MainFile);
  Slim->Key = std::move(U.Key);
  Slim->Failed = U.Failed;
  Slim->Models = std::move(U.Models);
  Slim->ModelDependencies = std::move(U.ModelDependencies);
  Slim->ModelsHash = U.ModelsHash;
  Slim->DefinesLockBodies = U.DefinesLockBodies;
  return Slim;
}

/// The two phases of a project run, when asked for one alone.
enum class Phase { Both, Extract, Link };

/// What besides a TU's compile command and sources changes its facts and
/// findings: the checks, the rules (by content), the options of the engine.
std::string analysisConfiguration() {
  // This build of concur: another one (a rebuilt engine, other built-in
  // rules) may find otherwise, even under the same version number.
  std::string Out = "concur=";
  std::string Self = llvm::sys::fs::getMainExecutable(
      "concur", reinterpret_cast<void *>(&analysisConfiguration));
  if (auto Buffer = llvm::MemoryBuffer::getFile(Self, /*IsText=*/false,
                                                /*RequiresNullTerminator=*/false))
    Out += llvm::utohexstr(concur::contentHash((*Buffer)->getBuffer()));
  Out += ";checks=" + ChecksOpt.getValue();
  Out += IgnoreAnnotations ? ";ignore-annotations" : "";
  for (const std::string &A : ExtraArgs)
    Out += ";arg=" + A;
  for (const std::string &R : ExceptBuiltinRules)
    Out += ";except-builtin=" + R;
  for (const std::string &R : RulesFiles) {
    Out += ";rules=" + R + ":";
    if (auto Buffer = llvm::MemoryBuffer::getFile(R))
      Out += llvm::utohexstr(concur::contentHash((*Buffer)->getBuffer()));
  }
  return Out;
}

/// Sorts by key() and drops repeats: a header's finding or guard is seen
/// by every TU that includes it.
template <typename T> void sortUnique(std::vector<T> &V) {
  std::sort(V.begin(), V.end(),
            [](const T &A, const T &B) { return A.order() < B.order(); });
  V.erase(std::unique(V.begin(), V.end(),
                      [](const T &A, const T &B) { return A.key() == B.key(); }),
          V.end());
}

} // namespace

int main(int argc, const char **argv) {
  llvm::InitLLVM X(argc, argv);
  if (argc > 1 && llvm::StringRef(argv[1]) == "merge")
    return concur::runMergeCommand(argc - 1, argv + 1);
  // `concur extract ...` and `concur link ...`: the rest is a normal
  // command line.
  Phase Only = Phase::Both;
  std::vector<const char *> Args(argv, argv + argc);
  if (argc > 1 && (llvm::StringRef(argv[1]) == "extract" ||
                   llvm::StringRef(argv[1]) == "link")) {
    Only = llvm::StringRef(argv[1]) == "extract" ? Phase::Extract : Phase::Link;
    Args.erase(Args.begin() + 1);
    argc = Args.size();
    argv = Args.data();
  }
  cl::HideUnrelatedOptions(ConcurCategory);
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "concur " << CONCUR_VERSION << " (LLVM " << LLVM_VERSION_STRING
       << ")\n";
  });

  // Flags after `--` form a fixed compilation database for every file.
  std::string FixedError;
  std::unique_ptr<CompilationDatabase> FixedDB =
      FixedCompilationDatabase::loadFromCommandLine(argc, argv, FixedError);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "concur: finds concurrency bugs in C++ (locks held across blocking "
          "calls, ...)\n\n"
          "  concur [options] <files...> [-- <compiler flags>]\n"
          "  concur -p <build dir> [files...]\n"
          "  concur extract -p <build dir> [files...]\n"
          "  concur link --facts-dir=<dir>\n",
          &llvm::errs()))
    return ExitError;

  concur::CheckFilter Filter(ChecksOpt);
  std::vector<std::string> Unmatched = Filter.unmatchedPatterns();
  if (!Unmatched.empty()) {
    // A typo would otherwise enable nothing and pass.
    for (const std::string &P : Unmatched)
      llvm::WithColor::error(llvm::errs(), "concur")
          << "--checks: '" << P << "' matches no check (see --list-checks)\n";
    return ExitError;
  }
  if (ListChecks) {
    llvm::outs() << "Enabled checks:\n";
    for (const concur::CheckInfo &C : concur::allChecks())
      if (Filter.enabled(C.Id))
        llvm::outs() << "    " << C.Id << "\n";
    return ExitClean;
  }

  if (SarifPath == "-" && CodeClimatePath == "-") {
    llvm::WithColor::error(llvm::errs(), "concur")
        << "--sarif=- and --codeclimate=- cannot both write to stdout\n";
    return ExitError;
  }
  std::optional<concur::PathRenames> Renames;
  if (!FingerprintRenames.empty()) {
    auto Read = concur::readPathRenames(FingerprintRenames);
    if (!Read) {
      llvm::WithColor::error(llvm::errs(), "concur")
          << "--fingerprint-renames: " << llvm::toString(Read.takeError()) << "\n";
      return ExitError;
    }
    Renames = std::move(*Read);
  }
  std::optional<concur::SuppressionsFile> Suppressions;
  if (!SuppressionsPath.empty()) {
    auto S = concur::SuppressionsFile::load(SuppressionsPath);
    if (!S) {
      llvm::WithColor::error(llvm::errs(), "concur")
          << llvm::toString(S.takeError()) << "\n";
      return ExitError;
    }
    Suppressions = std::move(*S);
  }

  concur::ApiModels::excludeBuiltinRules(
      std::vector<std::string>(ExceptBuiltinRules.begin(), ExceptBuiltinRules.end()));
  auto Models = concur::ApiModels::load(RulesFiles);
  if (!Models) {
    llvm::WithColor::error(llvm::errs(), "concur")
        << llvm::toString(Models.takeError()) << "\n";
    return ExitError;
  }

  if (Lsp) {
    concur::lsp::ServerOptions Server;
    Server.Settings = {
        ChecksOpt.getNumOccurrences() ? std::optional<std::string>(ChecksOpt)
                                      : std::nullopt,
        std::vector<std::string>(RulesFiles.begin(), RulesFiles.end()),
        IgnoreAnnotations.getValue(), NoTidyConfig.getValue()};
    Server.ExtraArgs.assign(ExtraArgs.begin(), ExtraArgs.end());
    Server.CompilationDatabasePath = BuildPath;
    Server.FactsDir = FactsDirOpt;
    Server.SourceRoot = SourceRoot;
    Server.DebounceMs = LspDebounce;
    Server.UsePreamble = LspPreamble;
    Server.CrashMarker = LspCrashMarker;
    concur::lsp::runServer(Server, stdin, stdout);
  }

  std::unique_ptr<CompilationDatabase> BuildDB;
  if (!BuildPath.empty()) {
    std::string Error;
    BuildDB = concur::loadCompilationDatabase(BuildPath, Error);
    if (!BuildDB) {
      llvm::WithColor::error(llvm::errs(), "concur")
          << "cannot load the compilation database in '" << BuildPath
          << "': "
          << (Error.empty() ? "it has no compile_commands.json or "
                              "compile_flags.txt"
                            : Error)
          << "\n";
      return ExitError;
    }
  }

  // Facts of each TU are kept for the project-wide link and for re-runs
  // when there is a build directory (or a facts directory is named). Paths
  // in them are relative to the source root: --source-root, else the facts
  // directory's parent (the build directory, by default).
  std::optional<concur::FactsStore> Store;
  if (!FactsDirOpt.empty() || !BuildPath.empty()) {
    std::string Dir = absolutePath(!FactsDirOpt.empty()
                                       ? FactsDirOpt.getValue()
                                       : BuildPath.getValue() + "/.concur");
    std::string FactsRoot = !SourceRoot.empty()
                                ? absolutePath(SourceRoot)
                                : llvm::sys::path::parent_path(Dir).str();
    Store.emplace(Dir, FactsRoot);
  }
  if (Only != Phase::Both && !Store) {
    llvm::WithColor::error(llvm::errs(), "concur")
        << (Only == Phase::Extract ? "extract" : "link")
        << " needs a facts directory: give -p <build dir> or --facts-dir\n";
    return ExitError;
  }
  if (Only == Phase::Link && !llvm::sys::fs::is_directory(Store->dir())) {
    llvm::WithColor::error(llvm::errs(), "concur")
        << "link: no facts directory '" << Store->dir() << "'\n";
    return ExitError;
  }

  std::vector<std::string> Inputs;
  if (Only == Phase::Link) {
    // Every TU is in the facts directory.
  } else if (Files.empty()) {
    if (!BuildDB) {
      llvm::WithColor::error(llvm::errs(), "concur")
          << "no input files (give files, or -p <build dir>); see --help\n";
      return ExitError;
    }
    std::set<std::string> Unique;
    for (const std::string &F : BuildDB->getAllFiles())
      Unique.insert(F);
    Inputs.assign(Unique.begin(), Unique.end());
  } else {
    for (const std::string &F : Files)
      Inputs.push_back(absolutePath(F));
  }

  // Pair every file with its compilation database.
  concur::CompilationDatabaseFinder Finder;
  std::unique_ptr<CompilationDatabase> NoFlagsDB;
  std::vector<std::pair<std::string, const CompilationDatabase *>> Work;
  std::vector<concur::FailedFile> Failures;
  for (const std::string &F : Inputs) {
    llvm::sys::fs::file_status Status;
    if (std::error_code EC = llvm::sys::fs::status(F, Status)) {
      // ELOOP and EACCES say more than "no such file".
      std::string Reason = EC == std::errc::no_such_file_or_directory
                               ? "no such file"
                               : EC == std::errc::too_many_symbolic_link_levels
                                     ? "a symbolic link loop"
                                     : EC.message();
      llvm::WithColor::error(llvm::errs(), "concur")
          << Reason << ": '" << F << "'\n";
      Failures.push_back({F, Reason});
      continue;
    }
    std::string DatabaseError;
    const CompilationDatabase *DB =
        FixedDB    ? FixedDB.get()
        : BuildDB ? BuildDB.get()
                  : Finder.forFile(F, &DatabaseError);
    if (!DatabaseError.empty()) {
      // Its compile_commands.json is unusable: guessing flags instead
      // would hide that.
      llvm::WithColor::error(llvm::errs(), "concur")
          << "cannot analyse '" << F << "': " << DatabaseError << "\n";
      Failures.push_back({F, DatabaseError});
      continue;
    }
    if (!DB) {
      if (!NoFlagsDB)
        NoFlagsDB = std::make_unique<FixedCompilationDatabase>(
            ".", std::vector<std::string>());
      if (!Quiet)
        llvm::WithColor::warning(llvm::errs(), "concur")
            << "no compile_commands.json or compile_flags.txt found for '" << F
            << "'; analysing it with default flags\n";
      DB = NoFlagsDB.get();
    }
    Work.push_back({F, DB});
  }

  // Each file's settings: the command line over the .clang-tidy files above
  // it. A bad .clang-tidy fails the files below it, not the others; files
  // whose configuration enables no concur check are not analysed, and the
  // run says so once per configuration.
  concur::SettingsResolver Settings(
      {ChecksOpt.getNumOccurrences() ? std::optional<std::string>(ChecksOpt)
                                     : std::nullopt,
       std::vector<std::string>(RulesFiles.begin(), RulesFiles.end()),
       IgnoreAnnotations.getValue(), NoTidyConfig.getValue()});
  // The lock models other translation units inferred, as the last run left
  // them: every TU reads them under its own rules.
  std::optional<concur::ProjectModels> Project;
  std::string ModelsPath;
  bool ModelsChanged = false; // since models.json was read
  if (Store) {
    ModelsPath = concur::ProjectModels::pathIn(Store->dir());
    auto Read = concur::ProjectModels::read(ModelsPath);
    if (!Read) {
      llvm::WithColor::warning(llvm::errs(), "concur")
          << "ignoring the project's lock models: "
          << llvm::toString(Read.takeError()) << "; they are inferred again\n";
      Project.emplace();
      ModelsChanged = true; // the unusable file is replaced
    } else {
      Project = std::move(*Read);
    }
    Settings.setProjectModels(ModelsPath, Project->rulesText());
  }
  std::vector<std::shared_ptr<const concur::FileSettings>> WorkSettings;
  {
    std::vector<std::pair<std::string, const CompilationDatabase *>> Kept;
    std::map<std::string, unsigned> Silenced;
    for (auto &W : Work) {
      auto S = Settings.forFile(absolutePath(W.first));
      if (!S) {
        std::string Why = llvm::toString(S.takeError());
        llvm::WithColor::error(llvm::errs(), "concur")
            << "cannot analyse '" << W.first << "': " << Why << "\n";
        Failures.push_back({W.first, Why});
        continue;
      }
      if (!(*S)->enablesAny()) {
        ++Silenced[(*S)->Sources.empty() ? "--checks" : (*S)->Sources.back()];
        continue;
      }
      Kept.push_back(W);
      WorkSettings.push_back(*S);
    }
    Work = std::move(Kept);
    if (!Quiet)
      for (auto &[Source, Count] : Silenced)
        llvm::WithColor::note(llvm::errs(), "concur")
            << "'" << Source << "' enables no concur check: " << Count
            << (Count == 1 ? " file is" : " files are")
            << " not analysed (add concur-* to its Checks, or pass --checks)\n";
  }

  bool StdoutColors = UseColor == "always" ||
                      (UseColor == "auto" && llvm::outs().has_colors());
  bool StderrColors = UseColor == "always" ||
                      (UseColor == "auto" && llvm::errs().has_colors());
  concur::AnalysisOptions Opts{*Models, Filter,
                               std::vector<std::string>(ExtraArgs.begin(),
                                                        ExtraArgs.end()),
                               StderrColors};
  Opts.UseThreadSafetyAnnotations = !IgnoreAnnotations;
  Opts.CollectGuards = DumpGuards;
  Opts.CollectModels = DumpModels;
  Opts.CollectStats = LockStats;
  Opts.CollectFacts = Store.has_value();
  // The dumps need a parse: facts on disk do not hold them.
  bool MayReuseFacts = Store && !DumpGuards && !DumpModels && !LockStats;
  std::string Configuration = analysisConfiguration();
  concur::FileHashes Hashes;
  std::vector<std::shared_ptr<concur::UnitFacts>> Units(Work.size());
  // Units held as modelsOnly(): their facts file holds the rest.
  std::vector<char> OnDisk(Work.size(), 0);
  unsigned Extracted = 0;
  std::string SaveError;

  bool Progress = !Quiet && Work.size() > 1 &&
                  llvm::sys::Process::StandardErrIsDisplayed();
  std::vector<concur::FileResult> Results(Work.size());
  std::mutex OutputMutex;
  unsigned Done = 0;
  unsigned Threads = Jobs ? Jobs.getValue() : 0;
  // Analyses Work[I], or takes its facts from the store when they are still
  // those of its sources and of the project's models. Again: a later round
  // of the same run, whose compiler diagnostics were shown already.
  auto Extract = [&](size_t I, bool MayReuse, bool Again) {
        const std::string &File = Work[I].first;
        std::string Key, Problem,
            Stale = Again ? "again, with the lock models of other files"
                          : "--dump options need a parse";
        bool Reused = false;
        if (Store) {
          std::vector<CompileCommand> Commands =
              Work[I].second->getCompileCommands(File);
          if (!Commands.empty())
            Key = concur::unitKey(Commands[0],
                                  Configuration + ";" + WorkSettings[I]->Key);
          if (!Key.empty() && MayReuse) {
            Stale.clear();
            std::optional<concur::UnitFacts> U = Store->loadFresh(
                absolutePath(File), Key, Hashes, Problem, Stale);
            if (U && !Project->isCurrentFor(*U)) {
              Stale = "the models of lock types it uses changed";
              U.reset();
            }
            if (U) {
              Results[I].File = File;
              // Kept whole: no AST of its own is alive beside it, and
              // dropping it would mean reading it twice.
              Results[I].Findings = U->Findings;
              Units[I] = std::make_shared<concur::UnitFacts>(std::move(*U));
              Reused = true;
            }
          }
        }
        std::string Saving;
        if (!Reused) {
          concur::AnalysisOptions FileOpts = Opts;
          FileOpts.Models = WorkSettings[I]->Models;
          FileOpts.Checks = WorkSettings[I]->Checks;
          FileOpts.UseThreadSafetyAnnotations =
              WorkSettings[I]->UseThreadSafetyAnnotations;
          Results[I] = concur::analyzeFile(*Work[I].second, File, FileOpts);
          if (Results[I].Facts) {
            Results[I].Facts->ModelsHash =
                Project->hashFor(Results[I].Facts->ModelDependencies);
            Saving = keepFacts(*Store, absolutePath(File), Key, Results[I],
                               Units[I]);
            OnDisk[I] = Saving.empty() && !Key.empty();
            if (OnDisk[I])
              Units[I] = modelsOnly(*Units[I]);
          }
        }
        std::lock_guard<std::mutex> Lock(OutputMutex);
        ++Done;
        if (!Problem.empty()) {
          if (Progress)
            llvm::errs() << "\r\033[K";
          llvm::WithColor::warning(llvm::errs(), "concur")
              << "facts file '" << Store->pathFor(absolutePath(File))
              << "' is unusable (" << Problem << "); extracting '" << File
              << "' again\n";
        }
        if (!Saving.empty() && SaveError.empty()) {
          SaveError = Saving; // once: the next ones would say the same
          llvm::WithColor::warning(llvm::errs(), "concur") << Saving << "\n";
        }
        if (!Reused) {
          Extracted += !Again;
          if (Verbose)
            llvm::errs() << "concur: extracted '" << File << "'"
                         << (Store ? " (" + Stale + ")" : "") << "\n";
        }
        if (!Results[I].Diagnostics.empty() && !Again) {
          if (Progress)
            llvm::errs() << "\r\033[K";
          llvm::errs() << Results[I].Diagnostics;
        }
        if (Progress)
          llvm::errs() << "\r\033[K[" << Done << "/" << Work.size() << "] "
                       << Work[I].first;
  };
  {
    llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Threads));
    for (size_t I = 0; I < Work.size(); ++I)
      Pool.async([&, I] { Extract(I, MayReuseFacts, false); });
    Pool.wait();
  }

  // Given some files, the others' facts (as last extracted) still say what
  // the functions they define do and which lock models they infer.
  std::vector<std::shared_ptr<concur::UnitFacts>> Context;
  if (Store && !Files.empty() && Only != Phase::Link) {
    std::set<std::string> Mine;
    for (auto &U : Units)
      if (U)
        Mine.insert(U->MainFile);
    // A unit's facts file is named after its main file: those of the units
    // just read are not read again (given every file of the project, that
    // was all of the facts, read twice).
    std::set<std::string> MinePaths;
    for (const std::string &F : Mine)
      MinePaths.insert(Store->pathFor(F));
    for (const std::string &Path : Store->allFiles()) {
      if (MinePaths.count(Path))
        continue;
      std::string Problem;
      std::optional<concur::UnitFacts> U = Store->load(Path, Problem);
      if (U && !Mine.count(U->MainFile)) {
        Mine.insert(U->MainFile);
        Context.push_back(std::make_shared<concur::UnitFacts>(std::move(*U)));
      }
    }
  }

  // The project's lock models: a unit that infers one from bodies the
  // others cannot see lets them model it too. Units extracted without the
  // models they depend on are extracted again: first those that define
  // lock bodies (a wrapper of another file's wrapper), until they settle,
  // then the rest, once. Each round takes only the units concerned; a later
  // run starts from the models this one leaves, and extracts none again.
  if (Store && Only != Phase::Link) {
    constexpr unsigned MaxRounds = 6;
    bool Warned = false;
    for (unsigned Round = 0;; ++Round) {
      std::vector<const concur::UnitFacts *> All;
      for (auto &U : Units)
        if (U)
          All.push_back(U.get());
      for (auto &U : Context)
        All.push_back(U.get());
      std::vector<std::string> Problems;
      concur::ProjectModels United = concur::ProjectModels::unite(All, Problems);
      for (const std::string &P : Problems)
        if (!Warned)
          llvm::WithColor::warning(llvm::errs(), "concur") << P << "\n";
      Warned |= !Problems.empty();
      if (United != *Project) {
        Project = std::move(United);
        Settings.setProjectModels(ModelsPath, Project->rulesText());
        ModelsChanged = true;
      }
      std::vector<size_t> Again, Definers;
      for (size_t I = 0; I < Work.size(); ++I)
        if (Units[I] && !Project->isCurrentFor(*Units[I])) {
          Again.push_back(I);
          if (Units[I]->DefinesLockBodies)
            Definers.push_back(I);
        }
      if (Again.empty() || Round == MaxRounds)
        break;
      std::vector<size_t> &Batch = Definers.empty() ? Again : Definers;
      if (Verbose)
        llvm::errs() << "concur: extracting " << Batch.size()
                     << " translation unit" << (Batch.size() == 1 ? "" : "s")
                     << " again with the lock models of other files ("
                     << Project->size() << " in all)\n";
      for (size_t I : Batch) {
        auto S = Settings.forFile(absolutePath(Work[I].first));
        if (S)
          WorkSettings[I] = *S;
        else
          llvm::consumeError(S.takeError());
      }
      llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Threads));
      for (size_t I : Batch)
        Pool.async([&, I] { Extract(I, false, true); });
      Pool.wait();
    }
    // Rewritten only when it changed: the editor and the plugin read it
    // again whenever it does.
    if (ModelsChanged)
      if (llvm::Error E = Project->write(ModelsPath))
        llvm::WithColor::warning(llvm::errs(), "concur")
            << "cannot write '" << ModelsPath << "': " << llvm::toString(std::move(E))
            << "\n";
  }
  if (Progress)
    llvm::errs() << "\r\033[K";
  if (Store && Only != Phase::Link && (Verbose || (Only == Phase::Extract && !Quiet)))
    llvm::errs() << "concur: extracted " << Extracted << " of " << Work.size()
                 << " translation units into '" << Store->dir() << "'\n";

  if (Only == Phase::Link) {
    // One unit per main file: shards may overlap.
    std::set<std::string> Seen;
    for (const std::string &Path : Store->allFiles()) {
      std::string Problem;
      std::optional<concur::UnitFacts> U = Store->load(Path, Problem);
      if (!U) {
        llvm::WithColor::warning(llvm::errs(), "concur")
            << "skipping facts file '" << Path << "': " << Problem << "\n";
        continue;
      }
      if (!Seen.insert(U->MainFile).second)
        continue;
      concur::FileResult R;
      R.File = U->MainFile;
      R.Findings = U->Findings;
      R.Failed = U->Failed;
      Results.push_back(std::move(R));
      Units.push_back(std::make_shared<concur::UnitFacts>(std::move(*U)));
    }
    if (Verbose)
      llvm::errs() << "concur: linking " << Units.size()
                   << " translation units from '" << Store->dir() << "'\n";
    // Shards see only their own units' models: say which units missed a
    // model another shard inferred, and leave the union for the next extract.
    std::vector<const concur::UnitFacts *> All;
    for (auto &U : Units)
      All.push_back(U.get());
    std::vector<std::string> Problems;
    concur::ProjectModels United = concur::ProjectModels::unite(All, Problems);
    for (const std::string &P : Problems)
      llvm::WithColor::warning(llvm::errs(), "concur") << P << "\n";
    std::vector<std::string> Stale;
    for (auto &U : Units)
      if (!United.isCurrentFor(*U))
        Stale.push_back(U->MainFile);
    if (!Stale.empty() && !Quiet) {
      llvm::raw_ostream &W = llvm::WithColor::warning(llvm::errs(), "concur");
      W << Stale.size() << " translation unit"
        << (Stale.size() == 1 ? " was" : "s were")
        << " extracted without lock models that others infer (";
      for (size_t I = 0; I < Stale.size() && I < 3; ++I)
        W << (I ? ", " : "") << "'" << Stale[I] << "'";
      W << (Stale.size() > 3 ? ", ..." : "") << "); `concur extract` "
        << (Stale.size() == 1 ? "it" : "them")
        << " again with this facts directory, which now holds those models, "
           "to link them with them\n";
    }
    if (United != *Project || ModelsChanged)
      if (llvm::Error E = United.write(ModelsPath))
        llvm::WithColor::warning(llvm::errs(), "concur")
            << "cannot write '" << ModelsPath << "': "
            << llvm::toString(std::move(E)) << "\n";
  }
  if (Only == Phase::Extract) {
    for (concur::FileResult &R : Results)
      if (R.Failed)
        llvm::WithColor::error(llvm::errs(), "concur")
            << "'" << R.File << "' "
            << (R.FailureReason.empty() ? "has errors" : R.FailureReason) << "\n";
    bool AnyFailed = !Failures.empty() ||
                     llvm::any_of(Results, [](auto &R) { return R.Failed; });
    return AnyFailed ? ExitError : ExitClean;
  }

  // The link: calls with a lock held to functions defined in other TUs.
  std::vector<concur::ResolvedFinding> Linked;
  if (Store) {
    for (size_t I = 0; I < OnDisk.size(); ++I) {
      if (!OnDisk[I])
        continue;
      std::string Path = Store->pathFor(Units[I]->MainFile), Problem;
      std::optional<concur::UnitFacts> U = Store->load(Path, Problem);
      if (U && U->Key == Units[I]->Key && U->ModelsHash == Units[I]->ModelsHash) {
        Units[I] = std::make_shared<concur::UnitFacts>(std::move(*U));
        continue;
      }
      // Another run sharing the directory replaced it since: this run's
      // findings of the unit stand, but the link does without its facts.
      llvm::WithColor::warning(llvm::errs(), "concur")
          << "facts file '" << Path << "' changed during the run"
          << (Problem.empty() ? "" : " (" + Problem + ")")
          << "; linking without the facts of '" << Units[I]->MainFile << "'\n";
      Units[I].reset();
    }
    std::vector<concur::LinkInput> In;
    std::set<std::string> Mine;
    for (auto &U : Units)
      if (U) {
        In.push_back({U.get(), true});
        Mine.insert(U->MainFile);
      }
    // The build's translation units: facts of a file removed from it are
    // deleted, not linked (they would still say what its functions do).
    std::set<std::string> InBuild;
    if (BuildDB && FactsDirOpt.empty() && Only == Phase::Both) {
      for (const std::string &F : BuildDB->getAllFiles())
        InBuild.insert(absolutePath(F));
      if (unsigned Pruned = Store->prune(InBuild); Pruned && Verbose)
        llvm::errs() << "concur: removed the facts of " << Pruned
                     << " translation unit" << (Pruned == 1 ? "" : "s")
                     << " no longer in the build\n";
    }
    for (auto &U : Context)
      if ((InBuild.empty() || InBuild.count(U->MainFile)) &&
          Mine.insert(U->MainFile).second)
        In.push_back({U.get(), false});
    // The first definition of a USR wins: the same one in every run.
    std::stable_sort(In.begin(), In.end(), [](auto &A, auto &B) {
      return A.Facts->MainFile < B.Facts->MainFile;
    });
    Linked = concur::linkProject(In, Filter);
    // A finding of the link is the business of its file's configuration.
    llvm::erase_if(Linked, [&](const concur::ResolvedFinding &F) {
      auto S = Settings.forFile(F.Loc.File);
      if (!S) {
        llvm::consumeError(S.takeError());
        return false;
      }
      return !(*S)->Checks.enabled(F.CheckId);
    });
  }

  if (DumpGuards) {
    std::vector<concur::ResolvedGuard> Guards;
    for (concur::FileResult &R : Results)
      Guards.insert(Guards.end(), R.Guards.begin(), R.Guards.end());
    sortUnique(Guards);
    for (const concur::ResolvedGuard &G : Guards) {
      llvm::outs() << G.Field.DisplayFile << ":" << G.Field.Line << ":"
                   << G.Field.Column << ": guard: '" << G.Name << "' ";
      if (G.Guard.empty())
        llvm::outs() << "none";
      else
        llvm::outs() << "{" << G.Guard << "}"
                     << (G.Annotated ? " (GUARDED_BY)" : " (inferred)");
      llvm::outs() << " accesses=" << G.Accesses;
      if (!G.Evidence.empty())
        llvm::outs() << " evidence: " << G.Evidence;
      llvm::outs() << "\n";
    }
  }

  if (LockStats) {
    // A site in a header counts once, however many TUs include it.
    std::map<std::string, std::string> Sites;
    for (concur::FileResult &R : Results)
      for (auto &[Where, How] : R.Acquisitions)
        Sites.emplace(Where, How);
    std::map<std::string, unsigned> ByHow;
    for (auto &KV : Sites)
      ++ByHow[KV.second];
    llvm::errs() << "concur: " << Sites.size()
                 << " lock acquisitions recognised (rules: " << ByHow["rule"]
                 << ", thread-safety attributes: " << ByHow["attributes"]
                 << ", inferred from bodies: " << ByHow["body"] << ")\n";
  }

  if (DumpModels) {
    std::vector<concur::ResolvedModel> Models;
    for (concur::FileResult &R : Results)
      Models.insert(Models.end(), R.Models.begin(), R.Models.end());
    sortUnique(Models);
    for (const concur::ResolvedModel &M : Models) {
      llvm::outs() << M.Loc.DisplayFile << ":" << M.Loc.Line << ":"
                   << M.Loc.Column << ": model: '" << M.Type << "' ";
      if (M.Kind.empty())
        llvm::outs() << "not modelled: " << M.Detail << "\n";
      else
        llvm::outs() << M.Kind << " (" << M.How << ")"
                     << (M.Detail.empty() ? "" : ": " + M.Detail) << "\n";
    }
  }

  // Merge: a finding in a header is seen by every TU that includes it.
  std::vector<concur::ResolvedFinding> All;
  for (concur::FileResult &R : Results) {
    if (R.Failed && !R.FailureReason.empty()) {
      llvm::WithColor::error(llvm::errs(), "concur")
          << "cannot analyse '" << R.File << "': " << R.FailureReason << "\n";
      Failures.push_back({R.File, R.FailureReason});
    } else if (R.Failed) {
      llvm::WithColor::error(llvm::errs(), "concur")
          << "'" << R.File << "' has errors; its findings may be incomplete\n";
      Failures.push_back({R.File, "the file did not compile"});
    }
    for (concur::ResolvedFinding &F : R.Findings)
      All.push_back(std::move(F));
  }
  for (concur::ResolvedFinding &F : Linked)
    All.push_back(std::move(F));
  sortUnique(All);

  std::string Root =
      absolutePath(SourceRoot.empty() ? std::string(".") : SourceRoot.getValue());
  concur::assignFingerprints(All, Root, Renames ? &*Renames : nullptr);
  if (Suppressions)
    Suppressions->apply(All, [&](const concur::ResolvedFinding &F) {
      return concur::relativeToRoot(F.Loc.File, Root);
    });
  std::vector<nlohmann::ordered_json> Absent;
  if (!Baseline.empty()) {
    auto Gone = concur::compareWithBaseline(Baseline, All);
    if (!Gone) {
      llvm::WithColor::error(llvm::errs(), "concur")
          << "--baseline: " << llvm::toString(Gone.takeError()) << "\n";
      return ExitError;
    }
    Absent = std::move(*Gone);
  }
  // What the run shows: findings nobody accepted and, with a baseline, only
  // the ones this change introduces. What fails it: those at --fail-on's
  // level or above.
  auto Counts = [&](const concur::ResolvedFinding &F) {
    return !F.Suppression && (Baseline.empty() || F.BaselineState == "new");
  };
  size_t Counted = llvm::count_if(All, Counts);
  size_t Failing = llvm::count_if(All, [&](const concur::ResolvedFinding &F) {
    return Counts(F) && concur::levelRank(F.Level) >= int(FailOn);
  });
  size_t Suppressed = llvm::count_if(
      All, [](const concur::ResolvedFinding &F) { return bool(F.Suppression); });

  bool ReportToStdout = SarifPath == "-" || CodeClimatePath == "-";
  if (!ReportToStdout)
    for (const concur::ResolvedFinding &F : All)
      if (Counts(F))
        concur::printFinding(llvm::outs(), F, StdoutColors);
  llvm::outs().flush();
  if (llvm::outs().has_error()) {
    llvm::WithColor::error(llvm::errs(), "concur")
        << "cannot write the findings to stdout: "
        << llvm::outs().error().message() << "\n";
    llvm::outs().clear_error();
    return ExitError;
  }

  if (!SarifPath.empty()) {
    concur::SarifOptions SO;
    SO.SourceRoot = Root;
    SO.Category = Category;
    SO.Absent = Baseline.empty() ? nullptr : &Absent;
    for (int I = 0; I < argc; ++I)
      SO.CommandLine.push_back(argv[I]);
    if (llvm::Error E = concur::writeOutput(
            SarifPath, concur::renderSarif(All, Failures, SO))) {
      llvm::WithColor::error(llvm::errs(), "concur")
          << llvm::toString(std::move(E)) << "\n";
      return ExitError;
    }
  }

  std::vector<const concur::ResolvedFinding *> Reported;
  for (const concur::ResolvedFinding &F : All)
    if (Counts(F))
      Reported.push_back(&F);
  if (!ExportFixesPath.empty()) {
    unsigned Stale = 0;
    if (llvm::Error E = concur::writeOutput(
            ExportFixesPath,
            concur::renderExportedFixes(Reported, absolutePath("."), Stale))) {
      llvm::WithColor::error(llvm::errs(), "concur")
          << llvm::toString(std::move(E)) << "\n";
      return ExitError;
    }
  }
  if (ApplyFixes) {
    auto Applied = concur::applyFixes(Reported);
    if (!Applied) {
      llvm::WithColor::error(llvm::errs(), "concur")
          << llvm::toString(Applied.takeError()) << "\n";
      return ExitError;
    }
    if (!Quiet) {
      llvm::errs() << "concur: applied " << Applied->Applied << " fix-it"
                   << (Applied->Applied == 1 ? "" : "s") << " in "
                   << Applied->Files << (Applied->Files == 1 ? " file" : " files");
      if (Applied->Conflicts)
        llvm::errs() << "; " << Applied->Conflicts
                     << " left out (they overlap another fix)";
      if (Applied->Stale)
        llvm::errs() << "; " << Applied->Stale
                     << " left out (the file changed since the analysis)";
      llvm::errs() << "\n";
    }
  }

  if (!CodeClimatePath.empty())
    if (llvm::Error E = concur::writeOutput(
            CodeClimatePath, concur::renderCodeClimate(All, Root))) {
      llvm::WithColor::error(llvm::errs(), "concur")
          << llvm::toString(std::move(E)) << "\n";
      return ExitError;
    }

  if (!Quiet) {
    std::string Summary = std::to_string(Counted) +
                          (Baseline.empty() ? (Counted == 1 ? " finding" : " findings")
                                            : " new");
    if (size_t Below = Counted - Failing)
      Summary += " (" + std::to_string(Below) +
                 (Below == 1 ? " note" : " notes") +
                 ", which fail the run only with --fail-on=note)";
    if (!Baseline.empty())
      Summary += ", " + std::to_string(All.size() - Suppressed - Counted) +
                 " unchanged, " + std::to_string(Absent.size()) + " absent";
    if (Suppressed)
      Summary += ", " + std::to_string(Suppressed) + " suppressed";
    llvm::errs() << "concur: " << Summary << " in " << Results.size()
                 << (Results.size() == 1 ? " file" : " files")
                 << (Failures.empty() ? ""
                                      : ", " + std::to_string(Failures.size()) +
                                            " not analysed cleanly")
                 << "\n";
  }
  if (!Failures.empty())
    return ExitError;
  return Failing == 0 || ExitZero ? ExitClean : ExitFindings;
}
