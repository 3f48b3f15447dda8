//===- FactsStore.cpp -----------------------------------------------------===//

#include "driver/facts/FactsStore.h"
#include "driver/facts/CborView.h"
#include "checks/CheckRegistry.h"
#include "checks/engine/Version.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

using nlohmann::json;

namespace concur {

static constexpr const char *FormatName = "concur-facts";

//===----------------------------------------------------------------------===//
// Paths
//===----------------------------------------------------------------------===//

std::string storedPath(llvm::StringRef Abs, llvm::StringRef Root) {
  namespace path = llvm::sys::path;
  if (Root.empty() || !path::is_absolute(Abs))
    return Abs.str();
  llvm::SmallVector<llvm::StringRef, 16> A(path::begin(Abs), path::end(Abs));
  llvm::SmallVector<llvm::StringRef, 16> R(path::begin(Root), path::end(Root));
  size_t Common = 0;
  while (Common < A.size() && Common < R.size() && A[Common] == R[Common])
    ++Common;
  // Only "/" in common: a system path, the same on every machine.
  if (Common < 2)
    return Abs.str();
  llvm::SmallString<256> Out;
  for (size_t I = Common; I < R.size(); ++I)
    path::append(Out, "..");
  for (size_t I = Common; I < A.size(); ++I)
    path::append(Out, A[I]);
  return Out.empty() ? std::string(".") : Out.str().str();
}

std::string restoredPath(llvm::StringRef Stored, llvm::StringRef Root) {
  // An absolute path is kept as written (a real path, or a location as
  // the finding has it).
  if (llvm::sys::path::is_absolute(Stored))
    return Stored.str();
  llvm::SmallString<256> Out(Root);
  llvm::sys::path::append(Out, Stored);
  llvm::sys::path::remove_dots(Out, /*remove_dot_dot=*/true);
  return Out.str().str();
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

namespace {

class Writer {
public:
  explicit Writer(llvm::StringRef Root) : Root(Root) {}

  json loc(const ResolvedLocation &L) {
    if (!L.valid())
      return nullptr;
    size_t File = file(L);
    // A line's text is stored once, however many locations it holds.
    if (Lines.try_emplace({File, L.Line}, L.LineText).second)
      LineTexts.push_back(json::array({File, L.Line, L.LineText}));
    return json::array({File, L.Line, L.Column, L.EndColumn});
  }
  json notes(const std::vector<ResolvedNote> &Notes) {
    json Out = json::array();
    for (const ResolvedNote &N : Notes)
      Out.push_back(json::array({loc(N.Loc), N.Message}));
    return Out;
  }
  static json threadPaths(const std::vector<std::vector<unsigned>> &Paths) {
    json Out = json::array();
    for (const std::vector<unsigned> &Path : Paths) {
      json Steps = json::array();
      for (unsigned I : Path)
        Steps.push_back(I == Finding::PrimaryStep ? int64_t(-1) : int64_t(I));
      Out.push_back(Steps);
    }
    return Out;
  }
  json finding(const ResolvedFinding &F) {
    return {{"check", F.CheckId},
            {"level", F.Level},
            {"loc", loc(F.Loc)},
            {"message", F.Message},
            {"notes", notes(F.Notes)},
            {"chain", notes(F.CallChain)},
            {"flowStart", F.FlowStartNote ? int64_t(*F.FlowStartNote) : -1},
            {"fixes", notes(F.Fixes)},
            {"threads", threadPaths(F.ThreadPaths)},
            {"nolint", F.Suppression.has_value()}};
  }
  json function(const LinkFunction &F) {
    json Calls = json::array();
    for (const LinkCallee &C : F.Calls)
      Calls.push_back(json::array({C.Usr, C.Name, loc(C.Loc)}));
    // Positional: a unit holds tens of thousands of these, and field
    // names were half their bytes and most of the reader's allocations.
    return json::array({F.Usr, F.Name, F.Internal, F.BlocksDirectly, int(F.Kind),
                        F.Operation, loc(F.OperationLoc),
                        F.ReleasesParam ? int64_t(*F.ReleasesParam) : -1,
                        F.ReleasesMemberPath, F.ReleasesUnknownLock,
                        F.UnlocksCallersLock, Calls});
  }
  json call(const LinkCall &C) {
    json Held = json::array();
    for (const LinkHeldLock &H : C.Held)
      Held.push_back(json::array({H.Display, H.Path, loc(H.Acquired), H.Shared, H.Asserted}));
    json Args = json::array();
    for (auto &[Index, Locks] : C.ArgumentLocks)
      Args.push_back(json::array({Index, Locks}));
    json Via = json::array();
    for (const ResolvedLocation &L : C.InlinedVia)
      Via.push_back(loc(L));
    return {{"caller", C.CallerUsr}, {"callee", C.CalleeUsr},
            {"name", C.CalleeName},  {"loc", loc(C.Loc)},
            {"held", Held},          {"args", Args},
            {"receiver", C.ReceiverPath}, {"via", Via},
            {"nolint", C.Nolint}};
  }
  json lockOrder(const LinkLockOrder &E) {
    return {{"first", E.First},          {"second", E.Second},
            {"firstName", E.FirstDisplay}, {"secondName", E.SecondDisplay},
            {"firstAt", loc(E.FirstAt)},  {"secondAt", loc(E.SecondAt)},
            {"via", E.Via},              {"chain", notes(E.Chain)},
            {"outer", E.Outer},          {"nolint", E.Nolint}};
  }
  json accessLocks(const std::vector<LinkAccessLock> &Locks) {
    json Held = json::array();
    for (const LinkAccessLock &H : Locks)
      Held.push_back(json::array({H.Path, H.Name, H.Where, loc(H.Declared), H.Shared}));
    return Held;
  }
  json unlockedCallers(const std::vector<LinkFieldAccess::Caller> &Steps) {
    json Callers = json::array();
    for (const LinkFieldAccess::Caller &C : Steps)
      Callers.push_back(json::array({loc(C.Loc), C.Caller, C.Callee}));
    return Callers;
  }
  json helperCall(const LinkHelperCall &C) {
    return {{"callee", C.CalleeUsr},     {"caller", C.CallerUsr},
            {"callerName", C.Caller},    {"calleeName", C.Callee},
            {"loc", loc(C.Loc)},         {"held", accessLocks(C.Held)},
            {"someLock", C.SomeLock},    {"callerElsewhere", C.CallerElsewhere},
            {"unlockedCallers", unlockedCallers(C.UnlockedCallers)}};
  }
  /// Positional, without names or locks: every file makes many virtual
  /// calls, and the link asks only who calls what with some lock held.
  static json virtualCall(const LinkHelperCall &C) {
    return json::array({C.CalleeUsr, C.CallerUsr,
                        int(C.SomeLock) | int(C.CallerElsewhere) << 1 |
                            int(C.Dispatched) << 2 |
                            int(C.CallerInstantiated) << 3,
                        C.CallerBases});
  }
  json conditionalFinding(const ResolvedFinding &F) {
    json J = finding(F);
    J["calledAs"] = F.CalledAs;
    return J;
  }
  json fieldAccess(const LinkFieldAccess &A) {
    json Held = accessLocks(A.Held);
    json Callers = unlockedCallers(A.UnlockedCallers);
    return {{"var", A.Variable},     {"name", A.Name},
            {"kind", A.Kind},        {"fn", A.Function},
            {"loc", loc(A.Loc)},     {"write", A.IsWrite},
            {"note", A.Note},        {"otherThread", A.OnOtherThread},
            {"serialised", A.SerialisedByCallers},
            {"guardedHere", A.GuardedHere}, {"confined", A.Confined},
            {"callersElsewhere", A.CallersElsewhere},
            {"held", Held},          {"unlockedCallers", Callers},
            {"nolint", A.Nolint}};
  }
  json files() const { return Files; }
  json lines() const { return LineTexts; }

private:
  /// Files are named once, by index: most locations share a few files.
  size_t file(const ResolvedLocation &L) {
    std::string Stored = storedPath(L.File, Root);
    // A display name that is a path of this machine is rebuilt from the
    // file on reading; one as written in a command ("src/a.cc") is kept.
    std::string Display =
        llvm::sys::path::is_absolute(L.DisplayFile) ? "" : L.DisplayFile;
    auto [It, New] = Index.try_emplace(Stored + '\0' + Display, Files.size());
    if (New)
      Files.push_back(json::array({Stored, Display}));
    return It->second;
  }
  llvm::StringRef Root;
  llvm::StringMap<size_t> Index;
  json Files = json::array();
  std::map<std::pair<size_t, unsigned>, std::string> Lines;
  json LineTexts = json::array();
};

} // namespace

std::vector<uint8_t> serializeFacts(const UnitFacts &U, llvm::StringRef Root) {
  Writer W(Root);
  json Deps = json::array();
  // Flat, path then hash: a unit reads hundreds of headers, and a pair
  // each was an array allocated per header on every read.
  for (const Dependency &D : U.Dependencies) {
    Deps.push_back(storedPath(D.File, Root));
    Deps.push_back(D.Hash);
  }
  json Findings = json::array(), Functions = json::array(), Calls = json::array(),
       LockOrder = json::array();
  for (const ResolvedFinding &F : U.Findings)
    Findings.push_back(W.finding(F));
  for (const LinkFunction &F : U.Functions)
    Functions.push_back(W.function(F));
  for (const LinkCall &C : U.Calls)
    Calls.push_back(W.call(C));
  for (const LinkLockOrder &E : U.LockOrder)
    LockOrder.push_back(W.lockOrder(E));
  json FieldAccesses = json::array(), HelperCalls = json::array(),
       VirtualCalls = json::array(), Conditional = json::array();
  for (const LinkFieldAccess &A : U.FieldAccesses)
    FieldAccesses.push_back(W.fieldAccess(A));
  for (const LinkHelperCall &C : U.HelperCalls)
    (C.Virtual ? VirtualCalls : HelperCalls)
        .push_back(C.Virtual ? W.virtualCall(C) : W.helperCall(C));
  for (const ResolvedFinding &F : U.ConditionalFindings)
    Conditional.push_back(W.conditionalFinding(F));
  json Doc = {{"format", FormatName},
              {"version", UnitFacts::FormatVersion},
              {"concur", CONCUR_VERSION},
              {"key", U.Key},
              {"main", storedPath(U.MainFile, Root)},
              {"deps", Deps},
              {"failed", U.Failed},
              {"failure", U.FailureReason},
              {"findings", Findings},
              {"functions", Functions},
              {"calls", Calls},
              {"lockOrder", LockOrder},
              {"fieldAccesses", FieldAccesses},
              {"helperCalls", HelperCalls},
              {"virtualCalls", VirtualCalls},
              {"conditionalFindings", Conditional}};
  json Models = json::array();
  for (const ModelFact &M : U.Models)
    Models.push_back(json::array({M.Type, M.Rule}));
  Doc["models"] = std::move(Models);
  Doc["modelDeps"] = U.ModelDependencies;
  Doc["modelsHash"] = U.ModelsHash;
  Doc["definesLockBodies"] = U.DefinesLockBodies;
  Doc["files"] = W.files();
  Doc["lines"] = W.lines();
  return json::to_cbor(Doc);
}

//===----------------------------------------------------------------------===//
// Reading: every field is checked; any surprise rejects the file.
//===----------------------------------------------------------------------===//

namespace {

struct BadFacts : std::runtime_error {
  using std::runtime_error::runtime_error;
};

CborValue field(const CborValue &Obj, const char *Name) {
  if (!Obj.isMap())
    throw BadFacts(std::string("expected an object holding '") + Name + "'");
  std::optional<CborValue> V = Obj.find(Name);
  if (!V)
    throw BadFacts(std::string("missing field '") + Name + "'");
  return *V;
}
std::string str(const CborValue &J, const char *What) {
  if (!J.isText())
    throw BadFacts(std::string("'") + What + "' is not a string");
  return J.text().str();
}
bool boolean(const CborValue &J, const char *What) {
  if (!J.isBool())
    throw BadFacts(std::string("'") + What + "' is not a boolean");
  return J.boolean();
}
uint64_t unsignedInt(const CborValue &J, const char *What, uint64_t Max = UINT32_MAX) {
  if (!J.isUnsigned() || J.unsignedValue() > Max)
    throw BadFacts(std::string("'") + What + "' is not a valid count");
  return J.unsignedValue();
}
std::optional<unsigned> optionalIndex(const CborValue &J, const char *What) {
  if (J.kind() == CborValue::Kind::Negative && J.negativeValue() == -1)
    return std::nullopt;
  return unsigned(unsignedInt(J, What));
}
// By value: a view is three words, and a reference to the argument would
// dangle where the argument is a temporary (`array(field(J, "x"), ...)`).
CborValue array(const CborValue &J, const char *What, size_t Size = SIZE_MAX) {
  if (!J.isArray() || (Size != SIZE_MAX && J.size() != Size))
    throw BadFacts(std::string("'") + What + "' is not an array of the right size");
  return J;
}

class Reader {
public:
  Reader(const CborValue &Files, const CborValue &Lines, llvm::StringRef Root) {
    for (const CborValue &F : array(Files, "files")) {
      array(F, "files entry", 2);
      std::string Abs = restoredPath(str(F[0], "file"), Root);
      std::string Display = str(F[1], "display name");
      this->Files.push_back({Abs, Display.empty() ? Abs : Display});
    }
    for (const CborValue &L : array(Lines, "lines")) {
      array(L, "lines entry", 3);
      size_t File = unsignedInt(L[0], "line's file");
      unsigned Line = unsignedInt(L[1], "line number");
      this->Lines[{File, Line}] = str(L[2], "line text");
    }
  }

  ResolvedLocation loc(const CborValue &J) {
    ResolvedLocation L;
    if (J.isNull())
      return L;
    array(J, "location", 4);
    size_t File = unsignedInt(J[0], "location file");
    if (File >= Files.size())
      throw BadFacts("a location names file " + std::to_string(File) +
                     " of " + std::to_string(Files.size()));
    L.File = Files[File].first;
    L.DisplayFile = Files[File].second;
    L.Line = unsignedInt(J[1], "line");
    L.Column = unsignedInt(J[2], "column");
    L.EndColumn = unsignedInt(J[3], "end column");
    if (L.Line == 0 || L.Column == 0)
      throw BadFacts("a location has line or column 0");
    auto Text = Lines.find({File, L.Line});
    if (Text == Lines.end())
      throw BadFacts("a location's line has no text");
    L.LineText = Text->second;
    return L;
  }
  std::vector<ResolvedNote> notes(const CborValue &J) {
    std::vector<ResolvedNote> Out;
    for (const CborValue &N : array(J, "notes")) {
      array(N, "note", 2);
      Out.push_back({loc(N[0]), str(N[1], "note message")});
    }
    return Out;
  }
  ResolvedFinding finding(const CborValue &J) {
    ResolvedFinding F;
    F.CheckId = str(field(J, "check"), "check");
    if (!findCheck(F.CheckId))
      throw BadFacts("a finding of an unknown check '" + F.CheckId + "'");
    F.Level = str(field(J, "level"), "level");
    if (F.Level != "error" && F.Level != "warning" && F.Level != "note")
      throw BadFacts("a finding of an unknown level '" + F.Level + "'");
    F.Loc = loc(field(J, "loc"));
    if (!F.Loc.valid())
      throw BadFacts("a finding has no location");
    F.Message = str(field(J, "message"), "message");
    F.Notes = notes(field(J, "notes"));
    F.CallChain = notes(field(J, "chain"));
    F.FlowStartNote = optionalIndex(field(J, "flowStart"), "flowStart");
    if (std::optional<CborValue> Fixes = J.find("fixes"))
      F.Fixes = notes(*Fixes);
    if (F.FlowStartNote && *F.FlowStartNote >= F.Notes.size())
      throw BadFacts("a finding's flow starts at a note it does not have");
    for (const CborValue &Path : array(field(J, "threads"), "threads")) {
      std::vector<unsigned> Steps;
      for (const CborValue &Step : array(Path, "thread path")) {
        std::optional<unsigned> Note = optionalIndex(Step, "thread step");
        if (Note && *Note >= F.Notes.size())
          throw BadFacts("a thread path names a note the finding does not have");
        Steps.push_back(Note ? *Note : Finding::PrimaryStep);
      }
      F.ThreadPaths.push_back(std::move(Steps));
    }
    if (boolean(field(J, "nolint"), "nolint"))
      F.Suppression = SuppressionInfo{"inSource", "NOLINT", "", 0};
    return F;
  }
  LinkFunction function(const CborValue &J) {
    LinkFunction F;
    array(J, "function", 12);
    F.Usr = str(J[0], "function usr");
    F.Name = str(J[1], "function name");
    F.Internal = boolean(J[2], "internal");
    F.BlocksDirectly = boolean(J[3], "blocks directly");
    uint64_t Kind = unsignedInt(J[4], "blocking kind", uint64_t(BlockKind::May));
    F.Kind = BlockKind(Kind);
    F.Operation = str(J[5], "blocking operation");
    F.OperationLoc = loc(J[6]);
    if (F.BlocksDirectly && (F.Kind == BlockKind::None || !F.OperationLoc.valid()))
      throw BadFacts("a function blocks with no operation");
    F.ReleasesParam = optionalIndex(J[7], "releasesParam");
    F.ReleasesMemberPath = str(J[8], "releasesMember");
    F.ReleasesUnknownLock = boolean(J[9], "releasesUnknown");
    F.UnlocksCallersLock = boolean(J[10], "unlocksCallers");
    for (const CborValue &C : array(J[11], "calls")) {
      array(C, "call", 3);
      LinkCallee Callee{str(C[0], "callee usr"), str(C[1], "callee name"), loc(C[2])};
      if (!Callee.Loc.valid())
        throw BadFacts("a call has no location");
      F.Calls.push_back(std::move(Callee));
    }
    return F;
  }
  LinkCall call(const CborValue &J) {
    LinkCall C;
    C.CallerUsr = str(field(J, "caller"), "caller");
    C.CalleeUsr = str(field(J, "callee"), "callee");
    C.CalleeName = str(field(J, "name"), "name");
    C.Loc = loc(field(J, "loc"));
    if (!C.Loc.valid())
      throw BadFacts("a call has no location");
    for (const CborValue &H : array(field(J, "held"), "held")) {
      array(H, "held lock", 5);
      C.Held.push_back({str(H[0], "lock name"), str(H[1], "lock path"), loc(H[2]),
                        boolean(H[3], "shared"), boolean(H[4], "asserted")});
    }
    for (const CborValue &A : array(field(J, "args"), "args")) {
      array(A, "argument locks", 2);
      unsigned Index = unsignedInt(A[0], "argument index");
      std::vector<unsigned> Locks;
      for (const CborValue &L : array(A[1], "argument's locks")) {
        uint64_t H = unsignedInt(L, "held lock index");
        if (H >= C.Held.size())
          throw BadFacts("an argument names a lock that is not held");
        Locks.push_back(unsigned(H));
      }
      C.ArgumentLocks.push_back({Index, std::move(Locks)});
    }
    C.ReceiverPath = str(field(J, "receiver"), "receiver");
    for (const CborValue &V : array(field(J, "via"), "via"))
      C.InlinedVia.push_back(loc(V));
    C.Nolint = boolean(field(J, "nolint"), "nolint");
    return C;
  }
  LinkLockOrder lockOrder(const CborValue &J) {
    LinkLockOrder E;
    E.First = str(field(J, "first"), "first");
    E.Second = str(field(J, "second"), "second");
    if (E.First.empty() || E.Second.empty() || E.First == E.Second)
      throw BadFacts("a lock-order edge needs two different locks");
    E.FirstDisplay = str(field(J, "firstName"), "firstName");
    E.SecondDisplay = str(field(J, "secondName"), "secondName");
    E.FirstAt = loc(field(J, "firstAt"));
    E.SecondAt = loc(field(J, "secondAt"));
    if (!E.FirstAt.valid() || !E.SecondAt.valid())
      throw BadFacts("a lock-order edge has no location");
    E.Via = str(field(J, "via"), "via");
    E.Chain = notes(field(J, "chain"));
    for (const CborValue &O : array(field(J, "outer"), "outer"))
      E.Outer.push_back(str(O, "outer lock"));
    E.Nolint = boolean(field(J, "nolint"), "nolint");
    return E;
  }

  LinkFieldAccess fieldAccess(const CborValue &J) {
    LinkFieldAccess A;
    A.Variable = str(field(J, "var"), "var");
    if (A.Variable.empty())
      throw BadFacts("a field access names no variable");
    A.Name = str(field(J, "name"), "name");
    A.Kind = str(field(J, "kind"), "kind");
    if (A.Kind != "field " && A.Kind != "static field ")
      throw BadFacts("a field access of an unknown kind '" + A.Kind + "'");
    A.Function = str(field(J, "fn"), "fn");
    A.Loc = loc(field(J, "loc"));
    if (!A.Loc.valid())
      throw BadFacts("a field access has no location");
    A.IsWrite = boolean(field(J, "write"), "write");
    A.Note = boolean(field(J, "note"), "note");
    A.OnOtherThread = boolean(field(J, "otherThread"), "otherThread");
    A.SerialisedByCallers = boolean(field(J, "serialised"), "serialised");
    A.GuardedHere = boolean(field(J, "guardedHere"), "guardedHere");
    A.Confined = boolean(field(J, "confined"), "confined");
    A.CallersElsewhere = boolean(field(J, "callersElsewhere"), "callersElsewhere");
    A.Held = accessLocks(field(J, "held"));
    A.UnlockedCallers = unlockedCallers(field(J, "unlockedCallers"));
    A.Nolint = boolean(field(J, "nolint"), "nolint");
    return A;
  }
  LinkHelperCall virtualCall(const CborValue &J) {
    array(J, "virtual call", 4);
    LinkHelperCall C;
    C.Virtual = true;
    C.CalleeUsr = str(J[0], "virtual callee");
    C.CallerUsr = str(J[1], "virtual caller");
    uint64_t Flags = unsignedInt(J[2], "virtual call flags", 15);
    C.SomeLock = Flags & 1;
    C.CallerElsewhere = Flags & 2;
    C.Dispatched = Flags & 4;
    C.CallerInstantiated = Flags & 8;
    for (const CborValue &B : array(J[3], "caller's bases"))
      C.CallerBases.push_back(str(B, "caller's base"));
    // The caller is named only when its own callers decide.
    if (C.CalleeUsr.empty() ||
        (C.CallerUsr.empty() && (C.CallerElsewhere || !C.CallerBases.empty())))
      throw BadFacts("a virtual call names no callee or caller");
    return C;
  }
  ResolvedFinding conditionalFinding(const CborValue &J) {
    ResolvedFinding F = finding(J);
    for (const CborValue &Root : array(field(J, "calledAs"), "calledAs")) {
      std::vector<std::string> Keys;
      for (const CborValue &K : array(Root, "calledAs entry"))
        Keys.push_back(str(K, "calledAs key"));
      if (Keys.empty() || Keys.front().empty())
        throw BadFacts("a conditional finding names no function");
      F.CalledAs.push_back(std::move(Keys));
    }
    if (F.CalledAs.empty())
      throw BadFacts("a conditional finding names no function");
    return F;
  }
  LinkHelperCall helperCall(const CborValue &J) {
    LinkHelperCall C;
    C.CalleeUsr = str(field(J, "callee"), "callee");
    C.CallerUsr = str(field(J, "caller"), "caller");
    if (C.CalleeUsr.empty() || C.CallerUsr.empty())
      throw BadFacts("a helper call names no callee or caller");
    C.Caller = str(field(J, "callerName"), "callerName");
    C.Callee = str(field(J, "calleeName"), "calleeName");
    C.Loc = loc(field(J, "loc"));
    if (!C.Loc.valid())
      throw BadFacts("a helper call has no location");
    C.Held = accessLocks(field(J, "held"));
    C.SomeLock = boolean(field(J, "someLock"), "someLock");
    C.CallerElsewhere = boolean(field(J, "callerElsewhere"), "callerElsewhere");
    C.UnlockedCallers = unlockedCallers(field(J, "unlockedCallers"));
    return C;
  }
  std::vector<LinkAccessLock> accessLocks(const CborValue &J) {
    std::vector<LinkAccessLock> Held;
    for (const CborValue &H : array(J, "held")) {
      array(H, "held lock", 5);
      LinkAccessLock L{str(H[0], "lock path"), str(H[1], "lock name"),
                       str(H[2], "lock's place"), loc(H[3]), boolean(H[4], "shared")};
      if (L.Path.empty())
        throw BadFacts("a held lock has no path");
      Held.push_back(std::move(L));
    }
    return Held;
  }
  std::vector<LinkFieldAccess::Caller> unlockedCallers(const CborValue &J) {
    std::vector<LinkFieldAccess::Caller> Steps;
    for (const CborValue &C : array(J, "unlockedCallers")) {
      array(C, "unlocked caller", 3);
      LinkFieldAccess::Caller Step{loc(C[0]), str(C[1], "caller"), str(C[2], "callee")};
      if (!Step.Loc.valid())
        throw BadFacts("an unlocked caller has no location");
      Steps.push_back(std::move(Step));
    }
    return Steps;
  }

private:
  std::vector<std::pair<std::string, std::string>> Files;
  std::map<std::pair<size_t, unsigned>, std::string> Lines;
};

} // namespace

llvm::Expected<UnitFacts> parseFacts(llvm::ArrayRef<uint8_t> Bytes,
                                     llvm::StringRef Root) {
  auto Fail = [](const std::string &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Why);
  };
  // Deeper than facts ever nest: a damaged or hostile file of nested
  // arrays is refused before anything walks it.
  constexpr unsigned MaxDepth = 64;
  bool TooDeep = false;
  std::optional<CborValue> Top = CborValue::validate(Bytes, MaxDepth, TooDeep);
  if (TooDeep)
    return Fail("not a facts file (nested more than " + std::to_string(MaxDepth) +
                " levels deep)");
  if (!Top)
    return Fail("not a facts file (truncated or corrupt)");
  const CborValue &Doc = *Top;
  try {
    if (!Doc.isMap() || str(field(Doc, "format"), "format") != FormatName)
      return Fail("not a facts file");
    uint64_t Version = unsignedInt(field(Doc, "version"), "version");
    if (Version != UnitFacts::FormatVersion)
      return Fail("facts format version " + std::to_string(Version) +
                  ", this concur reads version " +
                  std::to_string(UnitFacts::FormatVersion));
    // Facts are the engine's opinion: another build of concur may differ.
    std::string Concur = str(field(Doc, "concur"), "concur");
    if (Concur != CONCUR_VERSION)
      return Fail("facts of concur " + Concur + ", this is " + CONCUR_VERSION);
    UnitFacts U;
    U.Key = str(field(Doc, "key"), "key");
    U.MainFile = restoredPath(str(field(Doc, "main"), "main"), Root);
    const CborValue &Deps = array(field(Doc, "deps"), "deps");
    if (Deps.size() % 2)
      throw BadFacts("'deps' is not a list of paths and hashes");
    U.Dependencies.reserve(Deps.size() / 2);
    for (auto It = Deps.begin(), End = Deps.end(); It != End; ++It) {
      std::string Path = restoredPath(str(*It, "dependency"), Root);
      ++It;
      U.Dependencies.push_back({std::move(Path), unsignedInt(*It, "hash", UINT64_MAX)});
    }
    U.Failed = boolean(field(Doc, "failed"), "failed");
    U.FailureReason = str(field(Doc, "failure"), "failure");
    Reader R(field(Doc, "files"), field(Doc, "lines"), Root);
    for (const CborValue &F : array(field(Doc, "findings"), "findings"))
      U.Findings.push_back(R.finding(F));
    for (const CborValue &F : array(field(Doc, "functions"), "functions"))
      U.Functions.push_back(R.function(F));
    for (const CborValue &C : array(field(Doc, "calls"), "calls"))
      U.Calls.push_back(R.call(C));
    for (const CborValue &E : array(field(Doc, "lockOrder"), "lockOrder"))
      U.LockOrder.push_back(R.lockOrder(E));
    for (const CborValue &A : array(field(Doc, "fieldAccesses"), "fieldAccesses"))
      U.FieldAccesses.push_back(R.fieldAccess(A));
    for (const CborValue &C : array(field(Doc, "helperCalls"), "helperCalls"))
      U.HelperCalls.push_back(R.helperCall(C));
    for (const CborValue &C : array(field(Doc, "virtualCalls"), "virtualCalls"))
      U.HelperCalls.push_back(R.virtualCall(C));
    for (const CborValue &F :
         array(field(Doc, "conditionalFindings"), "conditionalFindings"))
      U.ConditionalFindings.push_back(R.conditionalFinding(F));
    for (const CborValue &M : array(field(Doc, "models"), "models")) {
      array(M, "model", 2);
      U.Models.push_back({str(M[0], "model type"), str(M[1], "model rule")});
    }
    for (const CborValue &D : array(field(Doc, "modelDeps"), "modelDeps"))
      U.ModelDependencies.push_back(str(D, "model dependency"));
    U.ModelsHash = unsignedInt(field(Doc, "modelsHash"), "modelsHash", UINT64_MAX);
    U.DefinesLockBodies = boolean(field(Doc, "definesLockBodies"), "definesLockBodies");
    return U;
  } catch (const BadFacts &E) {
    return Fail(E.what());
  }
}

llvm::Expected<UnitFacts> normalisedFacts(const UnitFacts &U, llvm::StringRef Root) {
  return parseFacts(serializeFacts(U, Root), Root);
}

//===----------------------------------------------------------------------===//
// Keys and hashes
//===----------------------------------------------------------------------===//

std::string unitKey(const clang::tooling::CompileCommand &Command,
                    llvm::StringRef Configuration) {
  std::string Text = CONCUR_VERSION;
  auto Add = [&](llvm::StringRef S) {
    Text += '\0';
    Text += S;
  };
  Add(Configuration);
  Add(Command.Directory);
  Add(Command.Filename);
  for (const std::string &A : Command.CommandLine)
    Add(A);
  return llvm::utohexstr(contentHash(Text), /*LowerCase=*/true);
}

std::optional<uint64_t> FileHashes::hashOf(const std::string &File) {
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    auto It = Hashes.find(File);
    if (It != Hashes.end())
      return It->second;
  }
  std::optional<uint64_t> H;
  if (auto Buffer = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                                /*RequiresNullTerminator=*/false))
    H = contentHash((*Buffer)->getBuffer());
  std::lock_guard<std::mutex> Lock(Mutex);
  Hashes[File] = H;
  return H;
}

//===----------------------------------------------------------------------===//
// The directory
//===----------------------------------------------------------------------===//

std::string FactsStore::pathFor(llvm::StringRef MainFile) const {
  // Named after the path below the root, so that two checkouts' shards of
  // one file have one name.
  std::string Stored = storedPath(MainFile, Root);
  llvm::SmallString<256> Out(Dir);
  llvm::sys::path::append(Out, llvm::sys::path::filename(MainFile).str() + "." +
                                   llvm::utohexstr(contentHash(Stored), true) +
                                   ".facts");
  return Out.str().str();
}

std::vector<std::string> FactsStore::allFiles() const {
  std::vector<std::string> Out;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    if (llvm::StringRef(It->path()).ends_with(".facts"))
      Out.push_back(It->path());
  std::sort(Out.begin(), Out.end());
  return Out;
}

unsigned FactsStore::prune(const std::set<std::string> &MainFiles) const {
  std::set<std::string> Keep;
  for (const std::string &F : MainFiles)
    Keep.insert(pathFor(F));
  unsigned Removed = 0;
  for (const std::string &Path : allFiles())
    if (!Keep.count(Path) && !llvm::sys::fs::remove(Path))
      ++Removed;
  return Removed;
}

std::optional<UnitFacts> FactsStore::load(const std::string &FactsFile,
                                          std::string &Problem) const {
  auto Buffer = llvm::MemoryBuffer::getFile(FactsFile, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer) {
    if (Buffer.getError() != std::errc::no_such_file_or_directory)
      Problem = Buffer.getError().message();
    return std::nullopt;
  }
  llvm::StringRef Data = (*Buffer)->getBuffer();
  llvm::Expected<UnitFacts> U = parseFacts(
      llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(Data.data()),
                              Data.size()),
      Root);
  if (!U) {
    Problem = llvm::toString(U.takeError());
    return std::nullopt;
  }
  return std::move(*U);
}

std::optional<UnitFacts> FactsStore::loadFresh(const std::string &MainFile,
                                               const std::string &Key,
                                               FileHashes &Hashes,
                                               std::string &Problem,
                                               std::string &Stale) const {
  std::optional<UnitFacts> U = load(pathFor(MainFile), Problem);
  if (!U)
    Stale = Problem.empty() ? "no facts yet" : "its facts are unusable";
  else if (U->MainFile != MainFile)
    Stale = "its facts file holds '" + U->MainFile + "'";
  else if (U->Key != Key)
    Stale = "its compile command or concur's options changed";
  else if (U->Failed)
    Stale = "it did not compile last time";
  if (!Stale.empty())
    return std::nullopt;
  for (const Dependency &D : U->Dependencies)
    if (Hashes.hashOf(D.File) != std::optional<uint64_t>(D.Hash)) {
      Stale = "'" + D.File + "' changed";
      return std::nullopt;
    }
  return U;
}

llvm::Error FactsStore::save(const UnitFacts &U) const {
  if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
    return llvm::createStringError(EC, "cannot create the facts directory '%s': %s",
                                   Dir.c_str(), EC.message().c_str());
  // Keep the directory out of version control, as clangd does its index.
  llvm::SmallString<256> Ignore(Dir);
  llvm::sys::path::append(Ignore, ".gitignore");
  if (!llvm::sys::fs::exists(Ignore)) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Ignore, EC);
    if (!EC)
      OS << "*\n";
  }
  std::vector<uint8_t> Bytes = serializeFacts(U, Root);
  std::string Path = pathFor(U.MainFile);
  // writeToOutput writes a temporary file beside Path and renames it.
  return llvm::writeToOutput(Path, [&](llvm::raw_ostream &OS) {
    OS.write(reinterpret_cast<const char *>(Bytes.data()), Bytes.size());
    return llvm::Error::success();
  });
}

} // namespace concur
