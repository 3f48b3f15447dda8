//===- LspServer.cpp ------------------------------------------------------===//

#include "driver/lsp/LspServer.h"
#include "checks/engine/JsonLineIndex.h"
#include "checks/engine/Version.h"
#include "driver/CompileCommands.h"
#include "driver/FileAnalysis.h"
#include "driver/facts/StoredProject.h"
#include "driver/lsp/BufferAnalysis.h"
#include "driver/lsp/CodeActions.h"
#include "driver/lsp/Diagnostics.h"
#include "driver/lsp/TextDocument.h"
#include "driver/lsp/Transport.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace concur::lsp {

namespace {

// JSON-RPC and LSP error codes.
constexpr int ParseError = -32700, InvalidRequest = -32600,
              MethodNotFound = -32601, InvalidParams = -32602,
              ServerNotInitialized = -32002;
// window/showMessage types.
constexpr int MessageError = 1, MessageWarning = 2;

/// Flags for a file no compilation database covers: C++ (headers too) in
/// the newest standard the engine's std::latch models need.
const std::vector<std::string> DefaultFallbackFlags = {"-xc++", "-std=c++20"};

/// Headers by extension (a file without one, like <vector>, too).
bool isHeaderPath(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  return Ext.empty() || Ext == ".h" || Ext == ".hh" || Ext == ".hpp" ||
         Ext == ".hxx" || Ext == ".inl" || Ext == ".ipp";
}

/// An open header is analysed on its own, as clangd does. The compiler
/// would take a .h for C: unless the command names a language, it is C++.
clang::tooling::CompileCommand forHeader(clang::tooling::CompileCommand Command,
                                         llvm::StringRef Path) {
  if (!isHeaderPath(Path) || Command.CommandLine.empty())
    return Command;
  for (const std::string &Arg : Command.CommandLine)
    if (llvm::StringRef(Arg).starts_with("-x"))
      return Command;
  // Before the file name, which is last in the commands concur builds and
  // in those interpolated for headers.
  auto FileArg = Command.CommandLine.end() - 1;
  Command.CommandLine.insert(FileArg, "-xc++-header");
  return Command;
}

/// Whether a document is C or C++: by the language id editors send for C,
/// C++, Objective-C and CUDA (VS Code's "cpp", Emacs's "c++" named after
/// its major mode, ...), and otherwise by its extension, so that an editor
/// with an id concur does not know ("", "plaintext", a mode of its own)
/// still gets C++ files analysed.
bool isCxxDocument(llvm::StringRef Id, llvm::StringRef Path) {
  for (llvm::StringRef Known :
       {"c", "cpp", "c++", "cxx", "objc", "objective-c", "objcpp",
        "objective-cpp", "objective-c++", "cuda", "cuda-cpp"})
    if (Id.equals_insensitive(Known))
      return true;
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  if (!Ext.empty() && isHeaderPath(Path))
    return true;
  for (llvm::StringRef Known :
       {".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".m", ".mm", ".cu"})
    if (Ext == Known)
      return true;
  return false;
}

struct Document {
  std::string Path;
  std::shared_ptr<const std::string> Text;
  int64_t Version = 0;
  /// Bumped by every edit: the unsaved file's modification time in the
  /// overlay, so that a preamble built on an older text is not reused.
  uint64_t Revision = 0;
};

class Server {
public:
  Server(const ServerOptions &Opts, std::FILE *In, std::FILE *Out)
      : Opts(Opts), Settings(Opts.Settings), Channel(In, Out) {}

  int run();

private:
  // Reader thread: lifecycle and documents.
  void handleMessage(const std::string &Body);
  void handleRequest(const json &Id, const std::string &Method,
                     const json &Params);
  void handleNotification(const std::string &Method, const json &Params);
  json initialize(const json &Params);
  json codeActions(const json &Params);
  void didOpen(const json &Params);
  void didChange(const json &Params);
  void didSave(const json &Params);
  void didClose(const json &Params);

  void reply(const json &Id, json Result) {
    Channel.send({{"jsonrpc", "2.0"}, {"id", Id}, {"result", std::move(Result)}});
  }
  void replyError(const json &Id, int Code, const std::string &Message) {
    Channel.send({{"jsonrpc", "2.0"},
                  {"id", Id},
                  {"error", {{"code", Code}, {"message", Message}}}});
  }
  void notify(const std::string &Method, json Params) {
    Channel.send(
        {{"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}});
  }
  void showMessage(int Type, const std::string &Text) {
    notify("window/showMessage", {{"type", Type}, {"message", Text}});
  }
  void log(const std::string &Text) {
    std::fprintf(stderr, "concur-lsp: %s\n", Text.c_str());
  }

  // Worker thread: analysis and publication.
  void workerLoop();
  std::shared_ptr<const FileSettings> settingsFor(const std::string &Path);
  /// Analyses Docs[Uri] as it was when copied out under the lock, with the
  /// other open documents (Open, the same copy) laid over the disk.
  void analyze(const std::string &Uri, const Document &Doc,
               const std::map<std::string, Document> &Open);
  clang::tooling::CompileCommand commandFor(const std::string &Path);
  /// The stored project facts a document is linked with, if any.
  StoredProject *projectFor(const std::string &Path);
  /// The link's findings about the document's own unit, besides Own.
  std::vector<ResolvedFinding> linkedFindings(StoredProject &Project,
                                              const std::string &Path,
                                              const UnitFacts &Facts,
                                              const FileSettings &FileSet,
                                              const std::vector<ResolvedFinding> &Own);
  /// Sends the union of every document's findings for Uri. Needs Mutex.
  void publishLocked(const std::string &Uri);
  std::string uriForPathLocked(const std::string &Path);
  bool parentIsGone() const;

  ServerOptions Opts;
  /// Each document's checks and models; the .clang-tidy files are read
  /// again for every analysis, so that an edit to one counts at once.
  SettingsResolver Settings;
  /// The project models Settings holds (StoredProject::modelsText).
  std::string ProjectModelsText;
  /// The .clang-tidy errors already shown, once each.
  std::set<std::string> ConfigErrorsShown;
  Transport Channel;

  // Reader thread only.
  bool Initialized = false, ShutdownRequested = false, ExitReceived = false;

  // Set by initialize, before the worker reads them.
  DiagnosticCapabilities Caps;
  bool ProgressSupport = false;
  int ParentPid = 0;
  std::vector<std::string> FallbackFlags = DefaultFallbackFlags;
  std::unique_ptr<clang::tooling::CompilationDatabase> BuildDatabase;
  std::string BuildDatabaseDir;
  /// initializationOptions.factsDirectory (or --facts-dir), absolute.
  std::string FactsDir;

  std::mutex Mutex;
  std::condition_variable WorkAvailable;
  std::map<std::string, Document> Docs; // by URI
  /// Documents to analyse and when (debounced edits wait).
  std::map<std::string, Clock::time_point> Pending;
  /// Per analysed document: the diagnostics its analysis found, by the URI
  /// they belong to (itself, or a header).
  std::map<std::string, std::map<std::string, std::vector<json>>> Published;
  /// Paths saved since the worker last looked (their includers are due).
  std::set<std::string> Saved;
  std::string Running;
  std::atomic<bool> RunningIsStale{false};
  bool Stopping = false;
  uint64_t NextRevision = 1;

  // Worker thread only.
  CompilationDatabaseFinder Finder;
  bool WarnedAboutFallback = false;
  std::map<std::string, std::unique_ptr<PreambleSlot>> Preambles;
  /// Facts directories in use, by path; read once, then as they change.
  std::map<std::string, std::unique_ptr<StoredProject>> Projects;
  /// Facts problems already shown, once each.
  std::set<std::string> FactsProblemsShown;
  unsigned ProgressTokens = 0;
  std::thread Worker;
};

//===-- Reader thread -----------------------------------------------------===//

int Server::run() {
  // A client may close the server's output before reading a reply
  // (lsp-mode kills its server when 'shutdown' is not answered within
  // 0.5 s): the write must fail, not kill the server with SIGPIPE, so that
  // 'exit' still decides the status.
  std::signal(SIGPIPE, SIG_IGN);
  Worker = std::thread([this] { workerLoop(); });
  std::string Body, Problem;
  while (true) {
    Transport::ReadStatus Status = Channel.read(Body, Problem);
    if (Status == Transport::ReadStatus::EndOfInput) {
      log("the client closed the input without 'exit'");
      return ShutdownRequested ? 0 : 1;
    }
    if (Status == Transport::ReadStatus::BadHeader) {
      log(Problem);
      replyError(nullptr, ParseError, Problem);
      continue;
    }
    handleMessage(Body);
    if (ExitReceived)
      return ShutdownRequested ? 0 : 1;
  }
}

void Server::handleMessage(const std::string &Body) {
  // Copying and destroying a value recurse: a message nested without end
  // is refused before it is parsed.
  if (lineOfExcessiveNesting(Body)) {
    replyError(nullptr, InvalidRequest,
               "the message nests arrays and objects too deep");
    return;
  }
  json Msg = json::parse(Body, nullptr, /*allow_exceptions=*/false);
  if (Msg.is_discarded()) {
    replyError(nullptr, ParseError, "the message is not valid JSON");
    return;
  }
  if (!Msg.is_object()) {
    replyError(nullptr, InvalidRequest, "a JSON-RPC message must be an object");
    return;
  }
  json Id = Msg.contains("id") ? Msg["id"] : json();
  bool HasId = Msg.contains("id");
  if (HasId && !Id.is_string() && !Id.is_number_integer()) {
    replyError(nullptr, InvalidRequest, "'id' must be a number or a string");
    return;
  }
  if (!Msg.contains("method")) {
    if (HasId && (Msg.contains("result") || Msg.contains("error")))
      return; // the client's answer to one of our requests
    replyError(Id, InvalidRequest, "a request needs a 'method'");
    return;
  }
  // Compared as JSON: value() would throw on a "jsonrpc" that is no string.
  if (!Msg["method"].is_string() || !Msg.contains("jsonrpc") ||
      Msg["jsonrpc"] != "2.0") {
    if (HasId)
      replyError(Id, InvalidRequest,
                 "not a JSON-RPC 2.0 request ('jsonrpc' and 'method')");
    return;
  }
  std::string Method = Msg["method"];
  // "params": null is what some clients (Emacs's) send for none.
  json Params = Msg.contains("params") && !Msg["params"].is_null()
                    ? Msg["params"]
                    : json::object();
  if (!Params.is_object() && !Params.is_array()) {
    if (HasId)
      replyError(Id, InvalidRequest, "'params' must be an object or array");
    return;
  }
  // A bug in a handler answers the request; it does not end the session.
  try {
    if (HasId)
      handleRequest(Id, Method, Params);
    else
      handleNotification(Method, Params);
  } catch (const json::exception &E) {
    if (HasId)
      replyError(Id, InvalidParams,
                 "invalid parameters for " + Method + ": " + E.what());
    else
      log("ignored " + Method + " with invalid parameters: " + E.what());
  }
}

void Server::handleRequest(const json &Id, const std::string &Method,
                           const json &Params) {
  if (Method == "initialize") {
    if (Initialized)
      return replyError(Id, InvalidRequest, "the server is already initialized");
    if (!Params.is_object())
      return replyError(Id, InvalidParams, "initialize needs InitializeParams");
    json Result = initialize(Params);
    Initialized = true;
    return reply(Id, std::move(Result));
  }
  if (!Initialized)
    return replyError(Id, ServerNotInitialized,
                      "the server has not been initialized");
  if (ShutdownRequested)
    return replyError(Id, InvalidRequest, "the server is shutting down");
  if (Method == "shutdown") {
    ShutdownRequested = true;
    {
      std::lock_guard<std::mutex> Lock(Mutex);
      Pending.clear();
      RunningIsStale = true;
    }
    return reply(Id, nullptr);
  }
  if (Method == "textDocument/codeAction")
    return reply(Id, codeActions(Params));
  replyError(Id, MethodNotFound, "concur does not handle '" + Method + "'");
}

json Server::codeActions(const json &Params) {
  json Actions = json::array();
  const json &Context = Params.at("context");
  if (Context.contains("only") && Context["only"].is_array() &&
      llvm::none_of(Context["only"], [](const json &Kind) {
        return Kind == "quickfix";
      }))
    return Actions;
  std::string Uri = Params.at("textDocument").at("uri");
  std::shared_ptr<const std::string> Text;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    auto It = Docs.find(Uri);
    if (It == Docs.end())
      return Actions;
    Text = It->second.Text;
  }
  const json &Diagnostics = Context.at("diagnostics");
  if (!Diagnostics.is_array())
    return Actions;
  for (const json &D : Diagnostics) {
    for (json &Action : fixItActions(D))
      Actions.push_back(std::move(Action));
    for (json &Action : suppressionActions(D, Uri, *Text, Caps.Encoding))
      Actions.push_back(std::move(Action));
  }
  return Actions;
}

void Server::handleNotification(const std::string &Method,
                                const json &Params) {
  if (Method == "exit") {
    ExitReceived = true;
    std::lock_guard<std::mutex> Lock(Mutex);
    Stopping = true;
    RunningIsStale = true;
    WorkAvailable.notify_all();
    return;
  }
  // Before initialize every notification but exit is dropped; after
  // shutdown too.
  if (!Initialized || ShutdownRequested)
    return;
  if (!Params.is_object())
    return log("ignored " + Method + ": its params are not an object");
  if (Method == "textDocument/didOpen")
    didOpen(Params);
  else if (Method == "textDocument/didChange")
    didChange(Params);
  else if (Method == "textDocument/didSave")
    didSave(Params);
  else if (Method == "textDocument/didClose")
    didClose(Params);
  // initialized, $/cancelRequest (every request is answered at once),
  // $/setTrace and unknown notifications need nothing.
}

json Server::initialize(const json &Params) {
  const json Empty = json::object();
  auto Object = [&](const json &Parent, const char *Key) -> const json & {
    return Parent.is_object() && Parent.contains(Key) && Parent[Key].is_object()
               ? Parent[Key]
               : Empty;
  };
  auto Flag = [&](const json &Parent, const char *Key) {
    return Parent.is_object() && Parent.value(Key, json(false)).is_boolean() &&
           Parent.value(Key, false);
  };
  const json &ClientCaps = Object(Params, "capabilities");
  const json &Publish =
      Object(Object(ClientCaps, "textDocument"), "publishDiagnostics");
  Caps.RelatedInformation = Flag(Publish, "relatedInformation");
  Caps.CodeDescription = Flag(Publish, "codeDescriptionSupport");
  Caps.Version = Flag(Publish, "versionSupport");
  ProgressSupport = Flag(Object(ClientCaps, "window"), "workDoneProgress");
  const json &General = Object(ClientCaps, "general");
  if (General.contains("positionEncodings") &&
      General["positionEncodings"].is_array())
    for (const json &E : General["positionEncodings"])
      if (E == "utf-8")
        Caps.Encoding = PositionEncoding::UTF8;
  if (Params.contains("processId") && Params["processId"].is_number_integer())
    ParentPid = Params["processId"].get<int>();

  // The workspace root resolves a relative compilationDatabasePath.
  std::string Root;
  if (Params.contains("rootUri") && Params["rootUri"].is_string())
    Root = pathFromUri(Params["rootUri"].get<std::string>()).value_or("");
  const json &Init = Object(Params, "initializationOptions");
  std::string DatabasePath = Opts.CompilationDatabasePath;
  if (Init.contains("compilationDatabasePath") &&
      Init["compilationDatabasePath"].is_string())
    DatabasePath = Init["compilationDatabasePath"];
  if (Init.contains("fallbackFlags") && Init["fallbackFlags"].is_array()) {
    FallbackFlags.clear();
    for (const json &F : Init["fallbackFlags"])
      if (F.is_string())
        FallbackFlags.push_back(F);
  }
  std::string FactsPath = Opts.FactsDir;
  if (Init.contains("factsDirectory") && Init["factsDirectory"].is_string())
    FactsPath = Init["factsDirectory"];
  if (!FactsPath.empty()) {
    llvm::SmallString<256> Dir(FactsPath);
    if (!llvm::sys::path::is_absolute(Dir) && !Root.empty()) {
      Dir = Root;
      llvm::sys::path::append(Dir, FactsPath);
    }
    llvm::sys::fs::make_absolute(Dir);
    llvm::sys::path::remove_dots(Dir, /*remove_dot_dot=*/true);
    FactsDir = Dir.str().str();
    if (!llvm::sys::fs::is_directory(FactsDir))
      showMessage(MessageWarning,
                  "concur: no facts directory '" + FactsDir +
                      "': run `concur extract -p <build dir>` to write it; "
                      "until then each file gets only its own findings");
  }
  if (!DatabasePath.empty()) {
    llvm::SmallString<256> Dir(DatabasePath);
    if (!llvm::sys::path::is_absolute(Dir) && !Root.empty()) {
      Dir = Root;
      llvm::sys::path::append(Dir, DatabasePath);
    }
    std::string Error;
    BuildDatabase = loadCompilationDatabase(Dir, Error);
    BuildDatabaseDir = Dir.str().str();
    if (!BuildDatabase)
      showMessage(MessageError,
                  "concur: cannot load the compilation database in '" +
                      Dir.str().str() + "': " +
                      (Error.empty() ? "none found" : Error) + "; looking for one beside each file instead");
  }

  return {{"capabilities",
           {{"positionEncoding",
             Caps.Encoding == PositionEncoding::UTF8 ? "utf-8" : "utf-16"},
            {"textDocumentSync",
             {{"openClose", true},
              {"change", 2}, // incremental
              {"save", {{"includeText", false}}}}},
            {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}}}},
          {"serverInfo", {{"name", "concur"}, {"version", CONCUR_VERSION}}}};
}

void Server::didOpen(const json &Params) {
  const json &Item = Params.at("textDocument");
  std::string Uri = Item.at("uri");
  std::string Language = Item.value("languageId", "");
  std::optional<std::string> Path = pathFromUri(Uri);
  if (!Path)
    return log("not analysing " + Uri + ": not a file: URI");
  if (!isCxxDocument(Language, *Path))
    return log("not analysing " + Uri + ": language '" + Language + "'");
  if (llvm::StringRef(*Path).ends_with("/") ||
      llvm::sys::fs::is_directory(*Path))
    return log("not analysing " + Uri + ": a directory, not a file");
  std::lock_guard<std::mutex> Lock(Mutex);
  Document &D = Docs[Uri];
  D.Path = *Path;
  D.Text = std::make_shared<const std::string>(Item.at("text").get<std::string>());
  D.Version = Item.value("version", int64_t(0));
  D.Revision = NextRevision++;
  Pending[Uri] = Clock::now();
  WorkAvailable.notify_all();
}

void Server::didChange(const json &Params) {
  const json &Id = Params.at("textDocument");
  std::string Uri = Id.at("uri");
  const json &Changes = Params.at("contentChanges");
  std::lock_guard<std::mutex> Lock(Mutex);
  auto It = Docs.find(Uri);
  if (It == Docs.end())
    return log("ignored didChange for " + Uri + ", which is not open");
  std::string Text = *It->second.Text;
  for (const json &Change : Changes)
    if (llvm::Error E = applyChange(Text, Change, Caps.Encoding))
      log("ignored a change to " + Uri + ": " + llvm::toString(std::move(E)));
  It->second.Text = std::make_shared<const std::string>(std::move(Text));
  if (Id.contains("version") && Id["version"].is_number_integer())
    It->second.Version = Id["version"];
  It->second.Revision = NextRevision++;
  if (Running == Uri)
    RunningIsStale = true;
  Pending[Uri] = Clock::now() + std::chrono::milliseconds(Opts.DebounceMs);
  WorkAvailable.notify_all();
}

void Server::didSave(const json &Params) {
  std::string Uri = Params.at("textDocument").at("uri");
  std::lock_guard<std::mutex> Lock(Mutex);
  if (!Docs.count(Uri))
    return log("ignored didSave for " + Uri + ", which is not open");
  // The buffer was analysed already; saving may have changed what a
  // compile_commands.json or a header on disk says, so look again now; and
  // the other documents whose preamble includes it see the new text.
  Pending[Uri] = Clock::now();
  Saved.insert(Docs[Uri].Path);
  WorkAvailable.notify_all();
}

void Server::didClose(const json &Params) {
  std::string Uri = Params.at("textDocument").at("uri");
  std::lock_guard<std::mutex> Lock(Mutex);
  if (!Docs.erase(Uri))
    return log("ignored didClose for " + Uri + ", which is not open");
  Pending.erase(Uri);
  if (Running == Uri)
    RunningIsStale = true;
  std::set<std::string> Targets = {Uri};
  if (auto It = Published.find(Uri); It != Published.end()) {
    for (const auto &[Target, Diags] : It->second)
      Targets.insert(Target);
    Published.erase(It);
  }
  for (const std::string &Target : Targets)
    publishLocked(Target);
}

//===-- Worker thread -----------------------------------------------------===//

bool Server::parentIsGone() const {
  return ParentPid > 0 && ::kill(ParentPid, 0) != 0 && errno == ESRCH;
}

void Server::workerLoop() {
  std::unique_lock<std::mutex> Lock(Mutex);
  while (!Stopping) {
    // Preambles are large: drop those of closed documents.
    for (auto It = Preambles.begin(); It != Preambles.end();)
      It = Docs.count(It->first) ? std::next(It) : Preambles.erase(It);
    // A saved header: analyse the documents that include it (as clangd
    // rebuilds their preambles on save, not on every keystroke).
    for (const std::string &Path : Saved)
      for (const auto &[Uri, Slot] : Preambles)
        if (Slot && Slot->Headers.count(Path) && !Pending.count(Uri))
          Pending[Uri] = Clock::now();
    Saved.clear();

    auto Next = std::min_element(
        Pending.begin(), Pending.end(),
        [](const auto &A, const auto &B) { return A.second < B.second; });
    if (Next == Pending.end()) {
      // Idle: look every second whether the editor is still there. What
      // was sent is flushed already; flushing every stream would wait for
      // stdin, which the reader thread holds while it waits for input.
      if (WorkAvailable.wait_for(Lock, std::chrono::seconds(1)) ==
              std::cv_status::timeout &&
          parentIsGone()) {
        log("the client process is gone; exiting");
        std::_Exit(1);
      }
      continue;
    }
    if (Next->second > Clock::now()) {
      WorkAvailable.wait_until(Lock, Next->second);
      continue;
    }
    std::string Uri = Next->first;
    Pending.erase(Next);
    auto DocIt = Docs.find(Uri);
    if (DocIt == Docs.end())
      continue;
    // Texts are shared, not copied.
    Document Doc = DocIt->second;
    std::map<std::string, Document> Open = Docs;
    Running = Uri;
    RunningIsStale = false;
    Lock.unlock();
    analyze(Uri, Doc, Open);
    Lock.lock();
    Running.clear();
  }
}

clang::tooling::CompileCommand Server::commandFor(const std::string &Path) {
  const clang::tooling::CompilationDatabase *DB =
      BuildDatabase ? BuildDatabase.get() : Finder.forFile(Path);
  if (DB) {
    std::vector<clang::tooling::CompileCommand> Commands =
        DB->getCompileCommands(Path);
    if (!Commands.empty()) {
      std::optional<std::string> Problem = problemWithCommand(Commands.front());
      if (!Problem)
        return forHeader(std::move(Commands.front()), Path);
      log("the compile command of " + Path + " is unusable (" + *Problem +
          "); analysing it with the fallback flags");
    }
  }
  if (!WarnedAboutFallback) {
    WarnedAboutFallback = true;
    std::string Flags;
    for (const std::string &F : FallbackFlags)
      Flags += " " + F;
    showMessage(MessageWarning,
                "concur: no compile_commands.json or compile_flags.txt found "
                "for " + Path + " or its parent directories; analysing with "
                "fallback flags:" + Flags + " (set compilationDatabasePath in "
                "initializationOptions to name a build directory)");
  }
  clang::tooling::CompileCommand Command;
  Command.Directory = llvm::sys::path::parent_path(Path).str();
  Command.Filename = Path;
  Command.CommandLine.push_back("clang++");
  Command.CommandLine.insert(Command.CommandLine.end(), FallbackFlags.begin(),
                             FallbackFlags.end());
  Command.CommandLine.push_back(Path);
  return forHeader(std::move(Command), Path);
}

StoredProject *Server::projectFor(const std::string &Path) {
  std::string Dir = FactsDir;
  if (Dir.empty()) {
    // Where a `concur -p <build dir>` run keeps them.
    std::string Build = BuildDatabase ? BuildDatabaseDir : Finder.directoryFor(Path);
    if (Build.empty())
      return nullptr;
    llvm::SmallString<256> Default(Build);
    llvm::sys::path::append(Default, ".concur");
    llvm::sys::fs::make_absolute(Default);
    Dir = Default.str().str();
  }
  if (!llvm::sys::fs::is_directory(Dir))
    return nullptr;
  std::unique_ptr<StoredProject> &P = Projects[Dir];
  if (!P) {
    std::string Root = Opts.SourceRoot;
    if (!Root.empty()) {
      llvm::SmallString<256> Abs(Root);
      llvm::sys::fs::make_absolute(Abs);
      llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
      Root = Abs.str().str();
    } else {
      Root = defaultSourceRoot(Dir);
    }
    P = std::make_unique<StoredProject>(FactsStore(Dir, Root));
  }
  return P.get();
}

std::vector<ResolvedFinding>
Server::linkedFindings(StoredProject &Project, const std::string &Path,
                       const UnitFacts &Facts, const FileSettings &FileSet,
                       const std::vector<ResolvedFinding> &Own) {
  auto Start = Clock::now();
  for (const std::string &Problem : Project.refresh())
    if (FactsProblemsShown.insert(Problem).second)
      showMessage(MessageWarning, "concur: unusable facts file " + Problem +
                                      "; run `concur extract` again");
  double LoadMs = std::chrono::duration<double, std::milli>(Clock::now() - Start).count();
  UnitFacts Fresh = Facts;
  Fresh.MainFile = Path;
  llvm::Expected<UnitFacts> Normal = normalisedFacts(Fresh, Project.store().root());
  if (!Normal) {
    log("cannot link " + Path + ": " + llvm::toString(Normal.takeError()));
    return {};
  }
  std::set<std::tuple<std::string, unsigned, unsigned, std::string>> Seen;
  for (const ResolvedFinding &F : Own)
    Seen.insert({F.Loc.File, F.Loc.Line, F.Loc.Column, F.CheckId});
  std::vector<ResolvedFinding> Out;
  for (ResolvedFinding &F : Project.linkWith(*Normal, FileSet.Checks)) {
    if (!Seen.insert({F.Loc.File, F.Loc.Line, F.Loc.Column, F.CheckId}).second)
      continue;
    // A finding in a header is the business of the header's configuration.
    if (F.Loc.File != Path) {
      auto S = Settings.forFile(F.Loc.File);
      if (!S) {
        llvm::consumeError(S.takeError());
      } else if (!(*S)->Checks.enabled(F.CheckId)) {
        continue;
      }
    }
    Out.push_back(std::move(F));
  }
  log("linked " + llvm::sys::path::filename(Path).str() + " with " +
      std::to_string(Project.size()) + " translation units' facts from '" +
      Project.store().dir() + "' in " +
      std::to_string(int(std::chrono::duration<double, std::milli>(Clock::now() - Start).count())) +
      " ms (facts refreshed in " + std::to_string(int(LoadMs)) + " ms)" +
      ": " + std::to_string(Out.size()) + " findings");
  return Out;
}

std::shared_ptr<const FileSettings> Server::settingsFor(const std::string &Path) {
  Settings.rereadConfigFiles();
  auto S = Settings.forFile(Path);
  if (S)
    return *S;
  // A bad .clang-tidy: say so once, and analyse with the command line's
  // settings rather than not at all.
  std::string Why = llvm::toString(S.takeError());
  if (ConfigErrorsShown.insert(Why).second)
    showMessage(MessageError, "concur: " + Why +
                                  "; using the command line's settings");
  CommandLineSettings Plain = Opts.Settings;
  Plain.NoConfigFiles = true;
  SettingsResolver Fallback(Plain);
  auto F = Fallback.forFile(Path);
  if (!F) {
    showMessage(MessageError, "concur: " + llvm::toString(F.takeError()));
    return nullptr;
  }
  return *F;
}

void Server::analyze(const std::string &Uri, const Document &Doc,
                     const std::map<std::string, Document> &Open) {
  // The disk, with every open document's unsaved text over it.
  auto Memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  for (const auto &[OpenUri, D] : Open)
    Memory->addFile(D.Path, time_t(D.Revision),
                    llvm::MemoryBuffer::getMemBufferCopy(*D.Text, D.Path));
  auto Overlay = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      llvm::vfs::createPhysicalFileSystem());
  Overlay->pushOverlay(Memory);

  BufferAnalysisInput Input{Doc.Path, *Doc.Text, commandFor(Doc.Path), Overlay};
  // The lock models the project's other files infer come with its facts.
  StoredProject *Project = projectFor(Doc.Path);
  {
    std::string Problem, Name, Text;
    if (Project) {
      Text = Project->modelsText(Problem);
      Name = Project->modelsPath();
    }
    if (!Problem.empty() && ConfigErrorsShown.insert(Problem).second)
      showMessage(MessageWarning, "concur: ignoring the project's lock models: " +
                                      Problem);
    if (Text != ProjectModelsText) {
      ProjectModelsText = Text;
      Settings.setProjectModels(Name, Text);
    }
  }
  std::shared_ptr<const FileSettings> FileSet = settingsFor(Doc.Path);
  if (!FileSet)
    return;
  AnalysisOptions AOpts{FileSet->Models, FileSet->Checks, Opts.ExtraArgs};
  AOpts.UseThreadSafetyAnnotations = FileSet->UseThreadSafetyAnnotations;
  AOpts.Cancelled = &RunningIsStale;
  AOpts.CollectFacts = Project != nullptr;

  std::unique_ptr<PreambleSlot> &Slot = Preambles[Uri];
  if (!Slot)
    Slot = std::make_unique<PreambleSlot>();
  Slot->Enabled = Opts.UsePreamble;
  std::string ProgressToken;
  auto BeginProgress = [&] {
    if (!ProgressSupport)
      return;
    ProgressToken = "concur/" + std::to_string(++ProgressTokens);
    Channel.send({{"jsonrpc", "2.0"},
                  {"id", "concur-progress-" + std::to_string(ProgressTokens)},
                  {"method", "window/workDoneProgress/create"},
                  {"params", {{"token", ProgressToken}}}});
    notify("$/progress",
           {{"token", ProgressToken},
            {"value",
             {{"kind", "begin"},
              {"title", "concur"},
              {"message", "parsing the includes of " +
                              llvm::sys::path::filename(Doc.Path).str()},
              {"cancellable", false}}}});
  };

  FileResult Result;
  BufferAnalysisStats Stats;
  llvm::CrashRecoveryContext Recovery;
  bool Survived = Recovery.RunSafely([&] {
    if (!Opts.CrashMarker.empty() &&
        Doc.Text->find(Opts.CrashMarker) != std::string::npos)
      std::abort(); // fault injection for the tests (a hidden option)
    Result = analyzeBuffer(Input, AOpts, *Slot, Stats, BeginProgress);
  });
  if (!ProgressToken.empty())
    notify("$/progress",
           {{"token", ProgressToken},
            {"value", {{"kind", "end"},
                       {"message", std::to_string(Result.Findings.size()) +
                                       " findings"}}}});
  std::string Name = llvm::sys::path::filename(Doc.Path).str();
  if (!Survived) {
    // The crashed compiler's state is unusable: leak it rather than run its
    // destructors, and say so (the editor would otherwise keep showing the
    // old findings without a hint).
    (void)Slot.release();
    Preambles.erase(Uri);
    log("the analysis of " + Doc.Path + " crashed");
    showMessage(MessageError,
                "concur: the analysis of " + Name + " crashed; its findings "
                "are not up to date. The server keeps running; please report "
                "this file to concur's maintainers.");
    return;
  }

  if (Project && Result.Facts && !RunningIsStale) {
    // The buffer's fresh facts stand in for its file's stored ones.
    std::vector<ResolvedFinding> Linked =
        linkedFindings(*Project, Doc.Path, *Result.Facts, *FileSet, Result.Findings);
    for (ResolvedFinding &F : Linked)
      Result.Findings.push_back(std::move(F));
  }

  std::lock_guard<std::mutex> Lock(Mutex);
  auto Now = Docs.find(Uri);
  if (Now == Docs.end() || Now->second.Revision != Doc.Revision ||
      RunningIsStale) {
    log("abandoned the analysis of " + Name + " version " +
        std::to_string(Doc.Version) + ": a newer text arrived");
    return;
  }
  log("analysed " + Name + " version " + std::to_string(Doc.Version) + " in " +
      std::to_string(int(Stats.TotalMs)) + " ms, checks " +
      std::to_string(int(Result.EngineMs)) + " ms (" +
      (Stats.BuiltPreamble
           ? "built the preamble in " + std::to_string(int(Stats.PreambleMs)) +
                 " ms, " + std::to_string(Stats.PreambleBytes >> 20) + " MiB"
           : Stats.UsedPreamble ? std::string("reused the preamble")
                                : std::string("no preamble")) +
      "): " + std::to_string(Result.Findings.size()) + " findings" +
      (Result.Failed ? ", with compiler errors" : ""));
  if (Result.Failed && !Result.Diagnostics.empty())
    // clangd shows compiler errors; concur only logs them.
    log(llvm::StringRef(Result.Diagnostics).split('\n').first.str());

  std::map<std::string, std::vector<json>> ByUri;
  ByUri[Uri]; // a document with no findings gets its list cleared
  for (const ResolvedFinding &F : Result.Findings) {
    if (F.Suppression || !F.Loc.valid())
      continue; // NOLINT: reviewed, not shown
    ByUri[uriForPathLocked(F.Loc.File)].push_back(toDiagnostic(
        F, Caps, [&](const std::string &Path) { return uriForPathLocked(Path); }));
  }
  std::set<std::string> Targets;
  for (const auto &[Target, Diags] : Published[Uri])
    Targets.insert(Target);
  for (const auto &[Target, Diags] : ByUri)
    Targets.insert(Target);
  Published[Uri] = std::move(ByUri);
  for (const std::string &Target : Targets)
    publishLocked(Target);
}

//===-- Publication -------------------------------------------------------===//

std::string Server::uriForPathLocked(const std::string &Path) {
  for (const auto &[Uri, D] : Docs)
    if (D.Path == Path)
      return Uri;
  return uriFromPath(Path);
}

void Server::publishLocked(const std::string &Uri) {
  json Diags = json::array();
  std::set<std::string> Seen; // a header's finding seen from two documents
  for (const auto &[Source, ByTarget] : Published) {
    auto It = ByTarget.find(Uri);
    if (It == ByTarget.end())
      continue;
    for (const json &D : It->second)
      if (Seen.insert(D["range"].dump() + D["code"].dump()).second)
        Diags.push_back(D);
  }
  json Params = {{"uri", Uri}, {"diagnostics", std::move(Diags)}};
  if (auto Doc = Docs.find(Uri); Caps.Version && Doc != Docs.end())
    Params["version"] = Doc->second.Version;
  notify("textDocument/publishDiagnostics", std::move(Params));
}

} // namespace

void runServer(const ServerOptions &Options, std::FILE *In, std::FILE *Out) {
  llvm::CrashRecoveryContext::Enable();
  Server S(Options, In, Out);
  int Status = S.run();
  // The worker may be inside a parse that cannot be interrupted; the
  // process ends here rather than wait for it. Every message was flushed
  // when sent (and the worker may hold the output's lock).
  std::_Exit(Status);
}

} // namespace concur::lsp
