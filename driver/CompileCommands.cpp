//===- CompileCommands.cpp ------------------------------------------------===//

#include "driver/CompileCommands.h"
#include "driver/JsonInput.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <set>

using namespace clang::tooling;
using json = nlohmann::ordered_json;

namespace concur {

namespace {

/// Marks the command of a file whose entry was refused: no command line,
/// and this prefix before the reason in Heuristic.
constexpr llvm::StringLiteral RefusedEntry = "concur: refused entry: ";

/// Whether a command string leaves a quote open, read as a POSIX shell
/// does (JSONCompilationDatabase would quietly end the argument there).
bool hasUnbalancedQuote(llvm::StringRef Command) {
  char Quote = 0;
  for (size_t I = 0; I < Command.size(); ++I) {
    char C = Command[I];
    if (Quote == '\'') {
      if (C == '\'')
        Quote = 0;
    } else if (C == '\\') {
      ++I;
    } else if (Quote == '"') {
      if (C == '"')
        Quote = 0;
    } else if (C == '"' || C == '\'') {
      Quote = C;
    }
  }
  return Quote != 0;
}

std::string normalPath(llvm::StringRef Directory, llvm::StringRef File) {
  llvm::SmallString<256> P;
  if (llvm::sys::path::is_absolute(File)) {
    P = File;
  } else {
    P = Directory;
    llvm::sys::path::append(P, File);
  }
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return P.str().str();
}

/// The good entries of a compile_commands.json, and for each file of a bad
/// one what is wrong with it ("compile_commands.json:12: ...").
class CheckedDatabase : public CompilationDatabase {
public:
  CheckedDatabase(std::unique_ptr<CompilationDatabase> Good,
                  std::map<std::string, std::string> Refused)
      : Good(std::move(Good)), Refused(std::move(Refused)) {}

  std::vector<CompileCommand>
  getCompileCommands(llvm::StringRef File) const override {
    auto It = Refused.find(normalPath("/", File));
    if (It == Refused.end())
      return Good->getCompileCommands(File);
    CompileCommand C;
    C.Filename = File.str();
    C.Heuristic = (RefusedEntry + It->second).str();
    return {C};
  }
  std::vector<std::string> getAllFiles() const override {
    std::vector<std::string> Files = Good->getAllFiles();
    for (const auto &KV : Refused)
      Files.push_back(KV.first);
    return Files;
  }
  std::vector<CompileCommand> getAllCompileCommands() const override {
    return Good->getAllCompileCommands();
  }

private:
  std::unique_ptr<CompilationDatabase> Good;
  std::map<std::string, std::string> Refused;
};

/// What is wrong with one entry that is well-formed JSON, if anything.
std::optional<std::string> entryProblem(const json &E) {
  const std::string &Dir = E["directory"].get_ref<const std::string &>();
  if (!llvm::sys::fs::is_directory(Dir))
    return "its directory '" + Dir + "' does not exist";
  if (E.contains("command")) {
    const std::string &Cmd = E["command"].get_ref<const std::string &>();
    if (llvm::StringRef(Cmd).trim().empty())
      return std::string("its 'command' is empty");
    if (hasUnbalancedQuote(Cmd))
      return std::string("its 'command' has an unbalanced quote");
  } else if (E["arguments"].empty()) {
    return std::string("its 'arguments' are empty");
  }
  return std::nullopt;
}

std::unique_ptr<CompilationDatabase>
loadCompileCommandsJson(llvm::Expected<JsonInput> In, std::string &Error) {
  if (!In) {
    Error = llvm::toString(In.takeError());
    return nullptr;
  }
  llvm::StringRef Path = In->path();
  using Kind = JsonInput::Kind;
  auto Fail = [&](llvm::Error E) {
    Error = llvm::toString(std::move(E));
    return nullptr;
  };
  const json &Entries = In->value();
  if (auto E = In->expect(Entries, "", Kind::Array))
    return Fail(std::move(E));
  json Good = json::array();
  std::set<std::string> GoodFiles;
  std::map<std::string, std::string> Refused;
  for (size_t I = 0; I < Entries.size(); ++I) {
    std::string P = "/" + std::to_string(I);
    const json &E = Entries[I];
    if (auto Err = In->expect(E, P, Kind::Object))
      return Fail(std::move(Err));
    for (const char *Key : {"directory", "file"}) {
      if (!E.contains(Key))
        return Fail(In->error(P, std::string("an entry needs '") + Key + "'"));
      if (auto Err = In->expect(E[Key], P + "/" + Key, Kind::String))
        return Fail(std::move(Err));
    }
    if (auto Err = In->expectIfPresent(E, P, "output", Kind::String))
      return Fail(std::move(Err));
    if (E.contains("command")) {
      if (auto Err = In->expect(E["command"], P + "/command", Kind::String))
        return Fail(std::move(Err));
    } else if (E.contains("arguments")) {
      if (auto Err = In->expect(E["arguments"], P + "/arguments", Kind::Array))
        return Fail(std::move(Err));
      for (size_t A = 0; A < E["arguments"].size(); ++A)
        if (auto Err = In->expect(E["arguments"][A],
                                  P + "/arguments/" + std::to_string(A),
                                  Kind::String))
          return Fail(std::move(Err));
    } else {
      return Fail(In->error(P, "an entry needs 'command' or 'arguments'"));
    }
    const std::string &Dir = E["directory"].get_ref<const std::string &>();
    std::string File =
        normalPath(Dir, E["file"].get_ref<const std::string &>());
    if (std::optional<std::string> Problem = entryProblem(E)) {
      Refused[File] = llvm::formatv("{0}:{1}: {2}", Path,
                                    In->lineOf(P), *Problem);
      continue;
    }
    GoodFiles.insert(File);
    Good.push_back(E);
  }
  // A file with a good entry too (a static and a shared library) uses it.
  for (const std::string &File : GoodFiles)
    Refused.erase(File);
  std::unique_ptr<CompilationDatabase> DB = JSONCompilationDatabase::loadFromBuffer(
      Good.dump(-1, ' ', false, json::error_handler_t::replace), Error,
      JSONCommandLineSyntax::AutoDetect);
  if (!DB) {
    Error = Path.str() + ": " + Error;
    return nullptr;
  }
  DB = expandResponseFiles(std::move(DB), llvm::vfs::getRealFileSystem());
  // Refused files must not lend their (absent) command to their neighbours.
  return std::make_unique<CheckedDatabase>(
      inferMissingCompileCommands(std::move(DB)), std::move(Refused));
}

} // namespace

std::unique_ptr<CompilationDatabase>
loadCompilationDatabase(llvm::StringRef Dir, std::string &Error) {
  Error.clear();
  llvm::SmallString<256> Json(Dir);
  llvm::sys::path::append(Json, "compile_commands.json");
  llvm::sys::fs::file_status Status;
  std::error_code EC = llvm::sys::fs::status(Json, Status);
  if (EC != std::errc::no_such_file_or_directory &&
      EC != std::errc::not_a_directory)
    // There is one (perhaps a symbolic link loop: reading says so).
    return loadCompileCommandsJson(JsonInput::read(Json), Error);
  llvm::SmallString<256> Flags(Dir);
  llvm::sys::path::append(Flags, "compile_flags.txt");
  if (!llvm::sys::fs::exists(Flags))
    return nullptr;
  std::unique_ptr<CompilationDatabase> DB =
      FixedCompilationDatabase::loadFromFile(Flags, Error);
  if (!DB)
    return nullptr;
  return inferMissingCompileCommands(std::move(DB));
}

std::unique_ptr<CompilationDatabase>
parseCompileCommandsJson(llvm::StringRef Name, llvm::StringRef Text,
                         std::string &Error) {
  return loadCompileCommandsJson(JsonInput::parse(Name, Text), Error);
}

std::optional<std::string>
problemWithCommand(const CompileCommand &Command) {
  llvm::StringRef Heuristic = Command.Heuristic;
  if (Heuristic.consume_front(RefusedEntry))
    return Heuristic.str();
  if (Command.CommandLine.empty())
    return std::string("its compile command is empty");
  if (!llvm::sys::fs::is_directory(Command.Directory))
    return "the directory of its compile command, '" + Command.Directory +
           "', does not exist";
  return std::nullopt;
}

const CompilationDatabase *
CompilationDatabaseFinder::forFile(const std::string &File, std::string *Error) {
  // As clangd: the file's directory and each parent, and the build/
  // subdirectory of each (where CMake projects usually export theirs).
  std::vector<std::string> Visited;
  Found Result;
  for (llvm::StringRef Dir = llvm::sys::path::parent_path(File); !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir)) {
    auto Cached = ByDir.find(Dir.str());
    if (Cached != ByDir.end()) {
      Result = Cached->second;
      break;
    }
    Visited.push_back(Dir.str());
    llvm::SmallString<256> Build(Dir);
    llvm::sys::path::append(Build, "build");
    std::string LoadError;
    std::unique_ptr<CompilationDatabase> DB =
        loadCompilationDatabase(Dir, LoadError);
    Result.Dir = Dir.str();
    if (!DB && LoadError.empty()) {
      DB = loadCompilationDatabase(Build, LoadError);
      Result.Dir = Build.str().str();
    }
    if (DB) {
      Owned.push_back(std::move(DB));
      Result.DB = Owned.back().get();
      break;
    }
    Result.Dir.clear();
    if (!LoadError.empty()) {
      Result.Error = LoadError;
      break;
    }
  }
  for (const std::string &Dir : Visited)
    ByDir[Dir] = Result;
  if (Error)
    *Error = Result.Error;
  return Result.DB;
}

std::string CompilationDatabaseFinder::directoryFor(const std::string &File) {
  forFile(File);
  auto Cached = ByDir.find(llvm::sys::path::parent_path(File).str());
  return Cached == ByDir.end() || !Cached->second.DB ? std::string()
                                                    : Cached->second.Dir;
}

} // namespace concur
