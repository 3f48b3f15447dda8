//===- ApiModels.cpp - Loading and matching API models --------------------===//

#include "checks/engine/ApiModels.h"
#include "checks/engine/DefaultRules.h"
#include "checks/engine/JsonLineIndex.h"
#include "checks/engine/LockIdentity.h"
#include "checks/engine/ModelInference.h"
#include "clang/AST/DeclTemplate.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <nlohmann/json.hpp>

using namespace clang;
using json = nlohmann::json;

namespace concur {

static const std::pair<const char *, TypeKind> Kinds[] = {
    {"mutex", TypeKind::Mutex},
    {"guard", TypeKind::Guard},
    {"condition_variable", TypeKind::ConditionVariable},
    {"thread", TypeKind::Thread},
    {"future", TypeKind::Future},
    {"latch", TypeKind::Latch},
    {"barrier", TypeKind::Barrier},
    {"semaphore", TypeKind::Semaphore},
    {"waitgroup", TypeKind::WaitGroup},
    {"channel", TypeKind::Channel},
    {"notification", TypeKind::Notification},
    {"atomic", TypeKind::Atomic},
    {"executor", TypeKind::Executor},
    {"other", TypeKind::Other}};

// The rules' spellings of lock operations and blocking kinds, read by the
// parser and written back by typeModelAsRule.
static const std::pair<const char *, LockOp> LockOps[] = {
    {"acquire", LockOp::Acquire},   {"try_acquire", LockOp::TryAcquire},
    {"release", LockOp::Release},   {"adopt", LockOp::Adopt},
    {"associate", LockOp::Associate}, {"disown", LockOp::Disown},
    {"owns", LockOp::Owns},         {"assert_held", LockOp::AssertHeld}};
static const std::pair<const char *, BlockKind> BlockKinds[] = {
    {"always", BlockKind::Always}, {"timed", BlockKind::Timed},
    {"may", BlockKind::May},       {"none", BlockKind::None}};

/// The spelling of V in Table, or null.
template <typename T, size_t N>
static const char *spellingIn(const std::pair<const char *, T> (&Table)[N], T V) {
  for (auto &Entry : Table)
    if (Entry.second == V)
      return Entry.first;
  return nullptr;
}

/// The value Table spells S, or null.
template <typename T, size_t N>
static const T *valueIn(const std::pair<const char *, T> (&Table)[N],
                        llvm::StringRef S) {
  for (auto &Entry : Table)
    if (S == Entry.first)
      return &Entry.second;
  return nullptr;
}

/// "a, b, c": the spellings of Table, for error messages.
template <typename T, size_t N>
static std::string spellingsOf(const std::pair<const char *, T> (&Table)[N]) {
  std::string List;
  for (auto &Entry : Table)
    List += std::string(List.empty() ? "" : ", ") + Entry.first;
  return List;
}

const char *kindName(TypeKind K) {
  for (auto &Entry : Kinds)
    if (Entry.second == K)
      return Entry.first;
  return "other";
}


namespace {

/// Thrown inside the loader, turned into an llvm::Error at its boundary.
struct RulesError {
  std::string Path; ///< JSON path of the offending value.
  std::string Message;
};

[[noreturn]] void fail(const std::string &Path, const std::string &Message) {
  throw RulesError{Path, Message};
}

void checkKeys(const json &Obj, const std::string &Path,
               std::initializer_list<const char *> Allowed) {
  if (!Obj.is_object())
    fail(Path, "expected an object");
  for (auto It = Obj.begin(); It != Obj.end(); ++It) {
    bool Known = false;
    for (const char *A : Allowed)
      Known |= It.key() == A;
    if (!Known) {
      std::string List;
      for (const char *A : Allowed)
        List += std::string(List.empty() ? "" : ", ") + A;
      fail(Path + "/" + It.key(),
           "unknown field '" + It.key() + "' (expected one of: " + List + ")");
    }
  }
}

std::string getString(const json &Obj, const std::string &Path,
                      const char *Key) {
  const json &V = Obj.at(Key);
  if (!V.is_string())
    fail(Path + "/" + Key, std::string("'") + Key + "' must be a string");
  return V.get<std::string>();
}

unsigned getIndex(const json &V, const std::string &Path, const char *What) {
  if (!V.is_number_unsigned())
    fail(Path, std::string("'") + What + "' must be a non-negative integer");
  return V.get<unsigned>();
}

std::vector<std::string> getNames(const json &Obj, const std::string &Path) {
  if (!Obj.contains("names"))
    fail(Path, "missing 'names'");
  const json &V = Obj.at("names");
  std::vector<std::string> Names;
  if (V.is_string())
    Names.push_back(V.get<std::string>());
  else if (V.is_array())
    for (size_t I = 0; I < V.size(); ++I) {
      if (!V[I].is_string() || V[I].get<std::string>().empty())
        fail(Path + "/names/" + std::to_string(I), "a name must be a non-empty string");
      Names.push_back(V[I].get<std::string>());
    }
  if (Names.empty())
    fail(Path + "/names", "'names' must be a string or a non-empty array of strings");
  for (std::string &N : Names)
    if (llvm::StringRef(N).starts_with("::"))
      N = N.substr(2);
  return Names;
}

#define CONCUR_EFFECT_KEYS                                                     \
  "when_arg_type", "when_arg_count", "lock", "mode", "lock_args", "success",  \
      "block", "timeout_arg", "releases_arg", "releases_this",                 \
      "predicate_arg", "spawn_arg", "waitgroup", "count_arg", "channel",   \
      "descriptor_arg", "flags_arg", "descriptor", "deferred", "spawn_method", \
      "mode_arg", "mode_arg_means"

LockMode parseMode(const json &V, const std::string &Path) {
  if (V == "exclusive")
    return LockMode::Exclusive;
  if (V == "shared")
    return LockMode::Shared;
  fail(Path, "'mode' must be \"exclusive\" or \"shared\"");
}

/// Reads the effect fields of Obj (other fields are checked by the caller).
Effect parseEffect(const json &Obj, const std::string &Path,
                   const std::string &Origin) {
  Effect E;
  E.Origin = Origin;
  if (Obj.contains("when_arg_type"))
    E.WhenArgType = getString(Obj, Path, "when_arg_type");
  if (Obj.contains("when_arg_count"))
    E.WhenArgCount = getIndex(Obj["when_arg_count"], Path + "/when_arg_count",
                              "when_arg_count");
  if (Obj.contains("lock")) {
    std::string Op = getString(Obj, Path, "lock");
    const LockOp *V = valueIn(LockOps, Op);
    if (!V)
      fail(Path + "/lock", "'lock' must be one of " + spellingsOf(LockOps) +
                               "; got '" + Op + "'");
    E.Lock = *V;
  }
  if (Obj.contains("mode"))
    E.Mode = parseMode(Obj["mode"], Path + "/mode");
  if (Obj.contains("mode_arg")) {
    E.ModeArg = getIndex(Obj["mode_arg"], Path + "/mode_arg", "mode_arg");
    if (Obj.contains("mode_arg_means"))
      E.ModeArgMeansShared =
          parseMode(Obj["mode_arg_means"], Path + "/mode_arg_means") ==
          LockMode::Shared;
  } else if (Obj.contains("mode_arg_means")) {
    fail(Path + "/mode_arg_means", "'mode_arg_means' needs a 'mode_arg' index");
  }
  if (Obj.contains("lock_args")) {
    const json &V = Obj["lock_args"];
    if (V == "all")
      E.Args.All = true;
    else if (V.is_array())
      for (size_t I = 0; I < V.size(); ++I)
        E.Args.Indices.push_back(getIndex(
            V[I], Path + "/lock_args/" + std::to_string(I), "lock_args"));
    else
      fail(Path + "/lock_args",
           "'lock_args' must be \"all\" or an array of argument indices");
  }
  if (Obj.contains("success")) {
    std::string S = getString(Obj, Path, "success");
    if (S != "true" && S != "zero")
      fail(Path + "/success", "'success' must be \"true\" or \"zero\"");
    E.SuccessIsZero = S == "zero";
  }
  if (Obj.contains("block")) {
    std::string B = getString(Obj, Path, "block");
    const BlockKind *V = valueIn(BlockKinds, B);
    if (!V)
      fail(Path + "/block", "'block' must be one of " + spellingsOf(BlockKinds) +
                                "; got '" + B + "'");
    E.Block = *V;
  }
  auto Index = [&](const char *Key, std::optional<unsigned> &Out) {
    if (Obj.contains(Key))
      Out = getIndex(Obj[Key], Path + "/" + Key, Key);
  };
  Index("timeout_arg", E.TimeoutArg);
  Index("releases_arg", E.ReleasesArg);
  Index("predicate_arg", E.PredicateArg);
  if (Obj.contains("spawn_arg")) {
    if (Obj["spawn_arg"] == "first_callable")
      E.SpawnFirstCallable = true;
    else
      Index("spawn_arg", E.SpawnArg);
  }
  if (Obj.contains("spawn_method")) {
    if (!Obj["spawn_method"].is_string() || Obj["spawn_method"].get<std::string>().empty())
      fail(Path + "/spawn_method", "'spawn_method' must be a method name");
    E.SpawnMethod = Obj["spawn_method"].get<std::string>();
    if (!E.SpawnArg)
      fail(Path + "/spawn_method", "'spawn_method' needs a 'spawn_arg' index");
  }
  if (Obj.contains("deferred")) {
    if (!Obj["deferred"].is_boolean())
      fail(Path + "/deferred", "'deferred' must be true or false");
    E.Deferred = Obj["deferred"].get<bool>();
    if (E.Deferred && !E.SpawnArg && !E.SpawnFirstCallable)
      fail(Path + "/deferred", "'deferred' needs a 'spawn_arg'");
  }
  if (Obj.contains("releases_this")) {
    if (!Obj["releases_this"].is_boolean())
      fail(Path + "/releases_this", "'releases_this' must be true or false");
    E.ReleasesThis = Obj["releases_this"].get<bool>();
  }
  if (Obj.contains("waitgroup")) {
    E.WaitGroupOp = getString(Obj, Path, "waitgroup");
    if (!llvm::is_contained({"init", "add", "done", "wait", "arrive"},
                            E.WaitGroupOp))
      fail(Path + "/waitgroup", "'waitgroup' must be one of init, add, done, "
                                "wait, arrive; got '" +
                                    E.WaitGroupOp + "'");
  }
  Index("count_arg", E.CountArg);
  if (Obj.contains("channel")) {
    E.ChannelOp = getString(Obj, Path, "channel");
    if (E.ChannelOp != "send" && E.ChannelOp != "receive" &&
        E.ChannelOp != "close")
      fail(Path + "/channel",
           "'channel' must be \"send\", \"receive\" or \"close\"");
  }
  Index("descriptor_arg", E.DescriptorArg);
  Index("flags_arg", E.FlagsArg);
  if (Obj.contains("descriptor")) {
    std::string D = getString(Obj, Path, "descriptor");
    if (D != "new" && D != "set_flags")
      fail(Path + "/descriptor",
           "'descriptor' must be \"new\" or \"set_flags\"; got '" + D + "'");
    E.NewDescriptor = D == "new";
    E.SetsDescriptorFlags = D == "set_flags";
    if (E.SetsDescriptorFlags && !E.DescriptorArg)
      fail(Path + "/descriptor",
           "'descriptor': \"set_flags\" needs 'descriptor_arg'");
  }
  return E;
}

/// An effect, or a list of variants tried in order.
std::vector<Effect> parseEffects(const json &V, const std::string &Path,
                                 const std::string &Origin) {
  std::vector<Effect> Out;
  auto One = [&](const json &Obj, const std::string &P) {
    checkKeys(Obj, P, {CONCUR_EFFECT_KEYS});
    Out.push_back(parseEffect(Obj, P, Origin));
  };
  if (V.is_array())
    for (size_t I = 0; I < V.size(); ++I)
      One(V[I], Path + "/" + std::to_string(I));
  else
    One(V, Path);
  return Out;
}

TypeKind parseKind(const json &V, const std::string &Path) {
  std::string List;
  for (auto &K : Kinds) {
    if (V == K.first)
      return K.second;
    List += std::string(List.empty() ? "" : ", ") + K.first;
  }
  fail(Path, "'kind' must be one of " + List);
}

} // namespace

LockMode MatchedEffect::modeAt(llvm::ArrayRef<const clang::Expr *> Args,
                              const clang::ASTContext &Ctx) const {
  if (!Fx || !Fx->ModeArg)
    return mode();
  if (*Fx->ModeArg >= Args.size() || !Args[*Fx->ModeArg])
    return LockMode::Exclusive;
  const clang::Expr *Arg = Args[*Fx->ModeArg];
  if (const auto *D = llvm::dyn_cast<clang::CXXDefaultArgExpr>(Arg))
    Arg = D->getExpr();
  bool Value = true;
  if (Arg->isValueDependent() || !Arg->EvaluateAsBooleanCondition(Value, Ctx))
    return LockMode::Exclusive;
  return Value != Fx->ModeArgMeansShared ? LockMode::Exclusive
                                          : LockMode::Shared;
}

namespace {

const char *modeName(LockMode M) {
  return M == LockMode::Shared ? "shared" : "exclusive";
}

/// The inverse of parseEffect: every field it reads, and only those set.
json effectAsRule(const Effect &E) {
  json O = json::object();
  if (!E.WhenArgType.empty())
    O["when_arg_type"] = E.WhenArgType;
  if (E.WhenArgCount)
    O["when_arg_count"] = *E.WhenArgCount;
  if (E.Lock != LockOp::None)
    O["lock"] = spellingIn(LockOps, E.Lock);
  if (E.Mode)
    O["mode"] = modeName(*E.Mode);
  if (E.ModeArg) {
    O["mode_arg"] = *E.ModeArg;
    O["mode_arg_means"] = E.ModeArgMeansShared ? "shared" : "exclusive";
  }
  if (E.Args.All)
    O["lock_args"] = "all";
  else if (!E.Args.Indices.empty())
    O["lock_args"] = std::vector<unsigned>(E.Args.Indices.begin(),
                                           E.Args.Indices.end());
  if (E.Lock == LockOp::TryAcquire)
    O["success"] = E.SuccessIsZero ? "zero" : "true";
  if (E.Block != BlockKind::None)
    O["block"] = spellingIn(BlockKinds, E.Block);
  auto Index = [&](const char *Key, const std::optional<unsigned> &V) {
    if (V)
      O[Key] = *V;
  };
  Index("timeout_arg", E.TimeoutArg);
  Index("releases_arg", E.ReleasesArg);
  Index("predicate_arg", E.PredicateArg);
  if (E.SpawnFirstCallable)
    O["spawn_arg"] = "first_callable";
  else
    Index("spawn_arg", E.SpawnArg);
  if (!E.SpawnMethod.empty())
    O["spawn_method"] = E.SpawnMethod;
  if (E.Deferred)
    O["deferred"] = true;
  if (E.ReleasesThis)
    O["releases_this"] = true;
  if (!E.WaitGroupOp.empty())
    O["waitgroup"] = E.WaitGroupOp;
  Index("count_arg", E.CountArg);
  if (!E.ChannelOp.empty())
    O["channel"] = E.ChannelOp;
  Index("descriptor_arg", E.DescriptorArg);
  Index("flags_arg", E.FlagsArg);
  if (E.NewDescriptor)
    O["descriptor"] = "new";
  else if (E.SetsDescriptorFlags)
    O["descriptor"] = "set_flags";
  return O;
}

json effectsAsRule(const std::vector<Effect> &Effects) {
  if (Effects.size() == 1)
    return effectAsRule(Effects.front());
  json A = json::array();
  for (const Effect &E : Effects)
    A.push_back(effectAsRule(E));
  return A;
}

} // namespace

std::string typeModelAsRule(const TypeModel &M, llvm::StringRef Name,
                            llvm::StringRef Description) {
  json T = json::object();
  T["names"] = json::array({Name.str()});
  if (!Description.empty())
    T["description"] = Description.str();
  T["kind"] = kindName(M.Kind);
  if (M.Mode != LockMode::Exclusive)
    T["mode"] = modeName(M.Mode);
  if (M.Recursive)
    T["recursive"] = true;
  if (!M.Constructor.empty())
    T["constructor"] = effectsAsRule(M.Constructor);
  if (!M.Destructor.empty())
    T["destructor"] = effectsAsRule(M.Destructor);
  if (!M.Methods.empty()) {
    // In name order: the text is a key of other units' facts.
    std::vector<std::string> Names;
    for (auto &KV : M.Methods)
      Names.push_back(KV.first().str());
    llvm::sort(Names);
    json Methods = json::object();
    for (const std::string &N : Names)
      Methods[N] = effectsAsRule(M.Methods.lookup(N));
    T["methods"] = std::move(Methods);
  }
  return T.dump();
}

llvm::Error ApiModels::addRulesText(llvm::StringRef Name, llvm::StringRef Text,
                                   ModelSource Source) {
  size_t Before = Types.size();
  llvm::Error E = parseRulesText(Name, Text);
  for (size_t I = Before; I < Types.size(); ++I)
    Types[I]->Source = Source;
  return E;
}

llvm::Error ApiModels::parseRulesText(llvm::StringRef Name,
                                    llvm::StringRef Text) {
  // Refused before anything walks it (the line index, the reads below).
  if (std::optional<unsigned> Line = lineOfExcessiveNesting(Text))
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "%s:%u: arrays and objects nested more than %u deep",
        Name.str().c_str(), *Line, MaxJsonNesting);
  json Doc;
  try {
    Doc = json::parse(Text.begin(), Text.end());
  } catch (const json::parse_error &E) {
    // Report the line and column of the byte where parsing stopped.
    size_t Byte = E.byte ? E.byte - 1 : 0;
    llvm::StringRef Before = Text.take_front(Byte);
    unsigned Line = 1 + Before.count('\n');
    size_t LastNl = Before.rfind('\n');
    size_t Col = LastNl == llvm::StringRef::npos ? Byte + 1 : Byte - LastNl;
    std::string What = E.what();
    // nlohmann's text is "[json.exception.parse_error.101] parse error at
    // line 3, column 5: syntax error while parsing ..."; keep the reason.
    size_t Colon = What.find(": ");
    if (Colon != std::string::npos)
      What = What.substr(Colon + 2);
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(), "%s:%u:%zu: invalid JSON: %s",
        Name.str().c_str(), Line, Col, What.c_str());
  } catch (const json::exception &E) {
    // A number too large for a double (1e999): out_of_range, no position.
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s: invalid JSON: %s", Name.str().c_str(),
                                   E.what());
  }

  JsonLineIndex Lines(Text);
  auto Origin = [&](const std::string &Path) {
    return Name.str() + ":" + std::to_string(Lines.lineOf(Path));
  };
  std::vector<std::unique_ptr<TypeModel>> NewTypes;
  std::vector<std::unique_ptr<FunctionModel>> NewFunctions;
  try {
    checkKeys(Doc, "", {"format", "version", "description", "types", "functions"});
    if (!Doc.contains("format") || Doc["format"] != "concur-rules")
      fail("/format", "expected \"format\": \"concur-rules\" at the top level");
    if (!Doc.contains("version") || Doc["version"] != 1)
      fail("/version", "unsupported rules version (this concur reads version 1)");
    if (Doc.contains("types")) {
      const json &Types = Doc["types"];
      if (!Types.is_array())
        fail("/types", "'types' must be an array");
      for (size_t I = 0; I < Types.size(); ++I) {
        std::string P = "/types/" + std::to_string(I);
        const json &T = Types[I];
        checkKeys(T, P, {"names", "kind", "mode", "recursive", "constructor",
                         "destructor", "methods", "description"});
        auto M = std::make_unique<TypeModel>();
        M->Names = getNames(T, P);
        M->Origin = Origin(P);
        if (!T.contains("kind"))
          fail(P, "missing 'kind'");
        M->Kind = parseKind(T["kind"], P + "/kind");
        if (T.contains("mode"))
          M->Mode = parseMode(T["mode"], P + "/mode");
        if (T.contains("recursive")) {
          if (!T["recursive"].is_boolean())
            fail(P + "/recursive", "'recursive' must be true or false");
          M->Recursive = T["recursive"].get<bool>();
        }
        if (T.contains("constructor"))
          M->Constructor = parseEffects(T["constructor"], P + "/constructor",
                                        Origin(P + "/constructor"));
        if (T.contains("destructor"))
          M->Destructor = parseEffects(T["destructor"], P + "/destructor",
                                       Origin(P + "/destructor"));
        if (T.contains("methods")) {
          const json &Methods = T["methods"];
          if (!Methods.is_object())
            fail(P + "/methods", "'methods' must be an object");
          for (auto It = Methods.begin(); It != Methods.end(); ++It) {
            std::string MP = P + "/methods/" + It.key();
            M->Methods[It.key()] = parseEffects(It.value(), MP, Origin(MP));
          }
        }
        NewTypes.push_back(std::move(M));
      }
    }
    if (Doc.contains("functions")) {
      const json &Fns = Doc["functions"];
      if (!Fns.is_array())
        fail("/functions", "'functions' must be an array");
      for (size_t I = 0; I < Fns.size(); ++I) {
        std::string P = "/functions/" + std::to_string(I);
        const json &F = Fns[I];
        checkKeys(F, P, {"names", "c_function", "description", CONCUR_EFFECT_KEYS});
        auto M = std::make_unique<FunctionModel>();
        M->Names = getNames(F, P);
        if (F.contains("c_function")) {
          if (!F["c_function"].is_boolean())
            fail(P + "/c_function", "'c_function' must be true or false");
          M->CFunction = F["c_function"].get<bool>();
        }
        M->Fx = parseEffect(F, P, Origin(P));
        NewFunctions.push_back(std::move(M));
      }
    }
  } catch (const RulesError &E) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s",
                                   Origin(E.Path).c_str(), E.Message.c_str());
  } catch (const json::exception &E) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s",
                                   Name.str().c_str(), E.what());
  }

  // A later file's model of a name replaces an earlier one: user rules can
  // refine the defaults.
  auto NoteTags = [&](const std::vector<Effect> &Effects) {
    for (const Effect &E : Effects)
      if (!E.WhenArgType.empty())
        TagTypeNames.insert(E.WhenArgType);
  };
  for (auto &T : NewTypes) {
    NoteTags(T->Constructor);
    for (auto &KV : T->Methods)
      NoteTags(KV.second);
    for (const std::string &N : T->Names) {
      llvm::StringRef Ref(N);
      if (Ref.consume_front("*::"))
        TypesByAnyNsName[Ref] = T.get();
      else
        TypesByName[Ref] = T.get();
    }
    Types.push_back(std::move(T));
  }
  for (auto &F : NewFunctions) {
    for (const std::string &N : F->Names)
      FunctionsByName[N] = F.get();
    Functions.push_back(std::move(F));
  }
  return llvm::Error::success();
}

llvm::Error ApiModels::addRulesFile(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return llvm::createStringError(Buf.getError(), "%s: cannot read rules file: %s",
                                   Path.str().c_str(),
                                   Buf.getError().message().c_str());
  return addRulesText(Path, (*Buf)->getBuffer());
}

static std::vector<std::string> &excludedBuiltins() {
  static std::vector<std::string> Names;
  return Names;
}

void ApiModels::excludeBuiltinRules(std::vector<std::string> FileNames) {
  excludedBuiltins() = std::move(FileNames);
}

llvm::Expected<std::shared_ptr<const ApiModels>>
ApiModels::load(llvm::ArrayRef<std::string> ExtraFiles,
                llvm::StringRef ProjectModelsName,
                llvm::StringRef ProjectModels) {
  auto Models = std::make_shared<ApiModels>();
  // First: a later file's model of a name replaces an earlier one.
  if (!ProjectModels.empty())
    if (llvm::Error E = Models->addRulesText(ProjectModelsName, ProjectModels,
                                             ModelSource::Project))
      return std::move(E);
  for (const EmbeddedFile &F : defaultRuleFiles())
    if (llvm::is_contained(excludedBuiltins(),
                           llvm::sys::path::filename(F.Name).str()))
      continue;
    else if (llvm::Error E =
            Models->addRulesText(F.Name, F.Text, ModelSource::BuiltinRule))
      return std::move(E);
  for (const std::string &Path : ExtraFiles)
    if (llvm::Error E = Models->addRulesFile(Path))
      return std::move(E);
  return std::shared_ptr<const ApiModels>(std::move(Models));
}

const TypeModel *ApiModels::lookupTypeName(llvm::StringRef Name) const {
  auto It = TypesByName.find(Name);
  if (It != TypesByName.end())
    return It->second;
  llvm::StringRef Last = Name.rsplit("::").second;
  if (Last.empty())
    Last = Name;
  auto AnyNs = TypesByAnyNsName.find(Last);
  return AnyNs == TypesByAnyNsName.end() ? nullptr : AnyNs->second;
}

const FunctionModel *ApiModels::lookupFunctionName(llvm::StringRef Name) const {
  auto It = FunctionsByName.find(Name);
  return It == FunctionsByName.end() ? nullptr : It->second;
}

//===----------------------------------------------------------------------===//
// Matching
//===----------------------------------------------------------------------===//

std::string ModelMatcher::matchName(const NamedDecl *D) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  std::string Own = D->getNameAsString();
  for (const DeclContext *Ctx = D->getDeclContext(); Ctx;
       Ctx = Ctx->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(Ctx)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Parts.push_back(NS->getName());
    } else if (const auto *RD = dyn_cast<RecordDecl>(Ctx)) {
      if (!RD->getIdentifier())
        continue;
      Parts.push_back(RD->getName());
    } else if (isa<FunctionDecl>(Ctx)) {
      break; // a local class: its own name is what a rule can say
    }
  }
  std::string Out;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It) {
    Out += It->str();
    Out += "::";
  }
  return Out + Own;
}

std::string ModelMatcher::calleeName(const Expr *Call,
                                     const FunctionDecl *Callee) {
  if (!Callee)
    return "call";
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Call))
    if (const Expr *Obj = MC->getImplicitObjectArgument()) {
      QualType T = Obj->IgnoreParenImpCasts()->getType().getNonReferenceType();
      if (const auto *PT = T->getAs<PointerType>())
        T = PT->getPointeeType();
      if (const auto *RD = T->getAsCXXRecordDecl())
        if (!RD->isLambda())
          return matchName(RD) + "::" + Callee->getNameAsString();
    }
  return matchName(Callee);
}

SourceLocation ModelMatcher::calleeNameEnd(const Expr *Call) {
  const auto *C = dyn_cast_or_null<CallExpr>(Call);
  // Member and operator calls are located at the member or the operator.
  if (!C || isa<CXXMemberCallExpr>(C) || isa<CXXOperatorCallExpr>(C))
    return {};
  const Expr *Callee = C->getCallee()->IgnoreParenImpCasts();
  if (isa<DeclRefExpr>(Callee) || isa<UnresolvedLookupExpr>(Callee))
    return Callee->getEndLoc();
  return {};
}

ModelMatcher::ModelMatcher(const ApiModels &Models)
    : Models(Models), Inference(std::make_unique<ModelInference>(*this)) {}

ModelMatcher::~ModelMatcher() = default;

std::vector<std::pair<const CXXRecordDecl *, const TypeModel *>>
ModelMatcher::matchedRecords() const {
  std::vector<std::pair<const CXXRecordDecl *, const TypeModel *>> Out;
  for (auto &KV : RecordCache)
    if (KV.second)
      Out.push_back({KV.first, KV.second});
  return Out;
}

std::vector<std::pair<const CXXRecordDecl *, const TypeModel *>>
ModelMatcher::queriedRecords() const {
  return std::vector<std::pair<const CXXRecordDecl *, const TypeModel *>>(
      RecordCache.begin(), RecordCache.end());
}

const TypeModel *ModelMatcher::modelForRecord(const CXXRecordDecl *RD) const {
  if (!RD)
    return nullptr;
  RD = RD->getCanonicalDecl();
  auto [It, Inserted] = RecordCache.try_emplace(RD, nullptr);
  if (!Inserted)
    return It->second;
  const TypeModel *M = Models.lookupTypeName(matchName(RD));
  const CXXRecordDecl *Def = RD->getDefinition();
  // A model another TU inferred yields to this TU's own bodies, so that the
  // TU that defines a wrapper keeps inferring (and recording) its model.
  if (Def && (!M || M->Source == ModelSource::Project))
    if (const TypeModel *Inferred = Inference->infer(Def))
      M = Inferred;
  if (!M) {
    if (Def)
      for (const CXXBaseSpecifier &B : Def->bases())
        if (const auto *Base = B.getType()->getAsCXXRecordDecl())
          if ((M = modelForRecord(Base)))
            break;
  }
  RecordCache[RD] = M; // the recursion may have grown the map
  return M;
}

const TypeModel *ModelMatcher::modelForType(QualType T) const {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  return modelForRecord(T->getAsCXXRecordDecl());
}

const Effect *
ModelMatcher::selectVariant(const std::vector<Effect> &Variants,
                            llvm::ArrayRef<const Expr *> Args) const {
  for (const Effect &E : Variants) {
    if (E.WhenArgCount && Args.size() != *E.WhenArgCount)
      continue;
    if (!E.WhenArgType.empty()) {
      bool Found = false;
      for (const Expr *A : Args) {
        QualType T = A->getType().getNonReferenceType();
        if (const auto *RD = T->getAsCXXRecordDecl())
          Found |= matchName(RD) == E.WhenArgType;
      }
      if (!Found)
        continue;
    }
    return &E;
  }
  return nullptr;
}

CallParts splitCall(const CallExpr *C) {
  CallParts P;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C)) {
    P.Receiver = MC->getImplicitObjectArgument();
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(C);
             Op && isa_and_nonnull<CXXMethodDecl>(Op->getDirectCallee()) &&
             Op->getNumArgs()) {
    P.Receiver = Op->getArg(0); // a member operator lists the object first
    P.FirstArg = 1;
  }
  for (unsigned I = P.FirstArg; I < C->getNumArgs(); ++I)
    P.Args.push_back(C->getArg(I));
  return P;
}

/// The arguments that select a variant: without defaulted ones.
static llvm::SmallVector<const Expr *, 4> argsOf(const CallExpr *C) {
  llvm::SmallVector<const Expr *, 4> Args;
  CallParts Parts = splitCall(C);
  for (const Expr *A : Parts.Args)
    if (!isa<CXXDefaultArgExpr>(A))
      Args.push_back(A);
  return Args;
}

MatchedEffect ModelMatcher::effectOfCall(const CallExpr *Call) const {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD)
    return {};
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    if (!MD->isStatic()) {
      // Match by the receiver's static type, so that inherited members
      // (std::timed_mutex::lock from a base) and derived classes match.
      const Expr *Obj = nullptr;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
        Obj = MC->getImplicitObjectArgument();
      else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call))
        Obj = Op->getNumArgs() ? Op->getArg(0) : nullptr;
      // Without the implicit derived-to-base cast: the type as written.
      const TypeModel *TM =
          Obj ? modelForType(Obj->IgnoreParenImpCasts()->getType()) : nullptr;
      if (!TM)
        TM = modelForRecord(MD->getParent());
      if (!TM)
        return {};
      std::string Name = MD->getNameAsString();
      auto It = TM->Methods.find(Name);
      if (It == TM->Methods.end()) {
        // Attributes add to an inherited model, they do not replace it: a
        // capability derived from std::mutex that adds AssertHeld() keeps
        // the lock() and unlock() it inherits.
        const TypeModel *Declaring = modelForRecord(MD->getParent());
        if (!Declaring || Declaring == TM)
          return {};
        TM = Declaring;
        It = TM->Methods.find(Name);
        if (It == TM->Methods.end())
          return {};
      }
      if (const Effect *E = selectVariant(It->second, argsOf(Call)))
        return {E, TM};
      return {};
    }
  }
  FD = FD->getCanonicalDecl();
  auto [It, Inserted] = FunctionCache.try_emplace(FD, nullptr);
  if (Inserted)
    It->second = functionModel(FD);
  if (!It->second)
    return {};
  return {&It->second->Fx, nullptr};
}

bool ModelMatcher::isCLibraryFunction(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier() || isa<CXXMethodDecl>(FD))
    return false;
  if (FD->isExternC())
    return true;
  // Declared by the program itself in C++ (a test mock, embedded code)
  // without extern "C": still the library's function when it is where the
  // library's would be and visible outside the file.
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  if (!DC->isTranslationUnit() && !DC->isStdNamespace())
    return false;
  return FD->isInlined() || FD->isExternallyVisible();
}

/// The rule for a free function: by qualified name, and a C library
/// function also when reached through std (std::fgets from <cstdio>).
const FunctionModel *ModelMatcher::functionModel(const FunctionDecl *FD) const {
  const FunctionModel *FM = Models.lookupFunctionName(matchName(FD));
  if (FM && FM->CFunction && !isCLibraryFunction(FD))
    return nullptr; // a C++ function that happens to be called read()
  if (!FM && FD->getIdentifier() &&
      FD->getDeclContext()->getRedeclContext()->isStdNamespace())
    if (const FunctionModel *C = Models.lookupFunctionName(FD->getName());
        C && C->CFunction)
      FM = C;
  return FM;
}

bool ModelMatcher::isTagArgument(const Expr *E) const {
  const auto *RD = E->getType().getNonReferenceType()->getAsCXXRecordDecl();
  return RD && Models.isTagTypeName(matchName(RD));
}

llvm::SmallVector<const Expr *, 2>
ModelMatcher::lockArguments(const Effect &Fx,
                            llvm::ArrayRef<const Expr *> Args) const {
  llvm::SmallVector<const Expr *, 2> Out;
  for (unsigned I = 0; I < Args.size(); ++I)
    if ((Fx.Args.All && !isTagArgument(Args[I])) ||
        llvm::is_contained(Fx.Args.Indices, I))
      Out.push_back(Args[I]);
  return Out;
}

const Expr *ModelMatcher::guardVariableLock(const Expr *Guard) const {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(stripExpr(Guard));
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->isLocalVarDecl() || !VD->getInit())
    return nullptr;
  const auto *CE = dyn_cast<CXXConstructExpr>(VD->getInit()->IgnoreImplicit());
  MatchedEffect M = CE ? effectOfConstruct(CE) : MatchedEffect();
  if (!M)
    return nullptr;
  llvm::SmallVector<const Expr *, 4> Args(CE->arguments());
  llvm::SmallVector<const Expr *, 2> Locks = lockArguments(*M.Fx, Args);
  return Locks.empty() ? nullptr : Locks.front();
}

bool ModelMatcher::isRecursiveLock(const Expr *E) const {
  if (!E)
    return false;
  const TypeModel *TM = modelForType(E->IgnoreParenImpCasts()->getType());
  return TM && TM->Kind == TypeKind::Mutex && TM->Recursive;
}

const TypeModel *
ModelMatcher::constructedModel(const CXXConstructExpr *E) const {
  return modelForRecord(E->getConstructor()->getParent());
}

MatchedEffect ModelMatcher::effectOfConstruct(const CXXConstructExpr *E) const {
  const TypeModel *TM = constructedModel(E);
  if (!TM || TM->Constructor.empty())
    return {};
  // Copy and move constructors of guards transfer, they do not lock.
  if (E->getConstructor()->isCopyOrMoveConstructor())
    return {};
  llvm::SmallVector<const Expr *, 4> Args;
  for (const Expr *A : E->arguments())
    if (!isa<CXXDefaultArgExpr>(A))
      Args.push_back(A);
  if (const Effect *Fx = selectVariant(TM->Constructor, Args))
    return {Fx, TM};
  return {};
}

} // namespace concur
