//===- CheckRegistry.cpp --------------------------------------------------===//

#include "checks/CheckRegistry.h"
#include "llvm/ADT/StringSwitch.h"
#include "checks/engine/Version.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/GlobPattern.h"

namespace concur {

static const CheckInfo Checks[] = {
    {"concur-lock-across-blocking-call",
     "A call that may block is made while a lock is held.",
     "A thread that blocks (sleeps, waits for I/O, joins a thread, waits on a "
     "future, a latch or a condition variable of another lock) while holding "
     "a lock stalls every thread that needs that lock, and deadlocks when the "
     "event it waits for needs the lock too. The finding names the blocking "
     "call, where each held lock was taken, and the chain of calls through "
     "which a helper blocks.",
     "checks/lock-across-blocking-call.md", "warning"},
    {"concur-unguarded-field",
     "A field is accessed without the lock that guards it elsewhere.",
     "A field of a class that is read or written under a member mutex in "
     "some places and without it in others is a data race: the unguarded "
     "access can see a torn or stale value, or corrupt a container that a "
     "guarded access is modifying. concur infers which member mutex guards "
     "each field from how the code already uses it (or takes Clang's "
     "GUARDED_BY), and reports the accesses that break that discipline.",
     "checks/unguarded-field.md", "warning"},
    {"concur-send-on-closed-channel",
     "A send on a channel that was closed before it on some path.",
     "Sending on a closed channel panics in Go; in C++ the Go-style channel "
     "classes throw, return a status nobody checks (the message is silently "
     "lost), or corrupt their state. concur follows each channel object "
     "through the function's control flow, including closes made by the "
     "functions it calls, and reports a send reachable after a close.",
     "checks/send-on-closed-channel.md", "warning"},
    {"concur-channel-double-close",
     "A channel is closed a second time.",
     "Closing a closed channel panics in Go; in C++ it throws, is ignored, or "
     "wakes receivers twice, depending on the library. concur reports a "
     "close reachable after a close of the same channel object.",
     "checks/channel-double-close.md", "warning"},
    {"concur-waitgroup-unpaired",
     "A WaitGroup or latch is not counted down exactly once per task.",
     "A task that returns without calling Done leaves the waiter blocked "
     "forever; a second Done drives the count below zero (Go panics, "
     "absl::BlockingCounter aborts, std::latch has undefined behaviour); an "
     "Add inside the task races the Wait. concur analyses each spawned task "
     "on every path, following Done through helper functions, RAII guards "
     "and scope guards, compares constant counts with the tasks spawned, "
     "and reports a loop iteration that skips the spawn when the count was "
     "added once per iteration.",
     "checks/waitgroup-unpaired.md", "warning"},
    {"concur-double-lock",
     "A non-recursive lock is acquired while the same thread holds it.",
     "Locking a non-recursive mutex that the calling thread already holds "
     "deadlocks that thread (std::mutex and pthread mutexes make it undefined "
     "behaviour; in practice it hangs), and so does upgrading a shared lock "
     "to an exclusive one. concur reports an acquisition reached with the "
     "same lock held on every path: directly, or through a function whose "
     "body (or a function it calls) takes the lock, with the chain of calls "
     "as notes.",
     "checks/double-lock.md", "warning"},
    {"concur-lock-not-released",
     "A lock taken by hand is still held on some way out of the function.",
     "A lock taken with lock() (not an RAII guard) must be released on every "
     "path: an early return or a throw that skips the unlock() leaves it held "
     "forever, and the next thread to take it blocks for good. concur "
     "reports a way out of a function that still holds a lock another way "
     "out releases.",
     "checks/lock-not-released.md", "warning"},
    {"concur-lock-order-inversion",
     "Locks are acquired in orders that can deadlock.",
     "A thread that takes lock A then lock B and another that takes B then A "
     "deadlock when each holds its first lock and waits for the other. "
     "concur builds the translation unit's lock graph from the acquisitions "
     "made while another lock is held, directly or inside a callee, and "
     "reports each pair of locks taken in both orders and the shortest cycle "
     "of three or more locks of each strongly connected component, with "
     "every path as notes, unless a common outer lock serialises them; an "
     "acquisition against an order declared with ACQUIRED_BEFORE / "
     "ACQUIRED_AFTER is reported by itself.",
     "checks/lock-order-inversion.md", "warning"},
    {"concur-cv-wait-without-predicate",
     "A condition-variable wait without a predicate is not re-checked in a loop.",
     "A condition wait may return without a notify (a spurious wakeup) or "
     "after another waiter consumed what was notified (a stolen wakeup). "
     "Code that waits once, without a predicate and outside a loop that "
     "tests its condition again, goes on as if the condition held. concur "
     "recognises every modelled condition-variable type (std, Boost, Abseil, "
     "pthread and C11, a project's inferred wrappers), reads the loops from "
     "the control-flow graph, and names the condition of a guarding 'if' "
     "that should become a 'while'.",
     "checks/cv-wait-without-predicate.md", "warning"},
    {"concur-nonatomic-flag",
     "A plain flag polled by a loop on a thread is written elsewhere without a lock.",
     "A loop on a thread that tests a plain bool (or integer, or enum) to "
     "know when to stop, while another function sets it with no lock held at "
     "both, is a data race: the compiler may load the flag once, before the "
     "loop, so that the loop never ends, and nothing orders the writer's "
     "other stores with the loop's reads. 'volatile' forces the loads but "
     "orders nothing. concur follows spawn sites to the functions that run "
     "on a thread, and leaves out writes made before the thread starts or "
     "after it is joined, and pairs of accesses under a common lock.",
     "checks/nonatomic-flag.md", "warning"},
    {"concur-atomic-check-then-act",
     "A load of an atomic computes or decides a later store to it.",
     "Each operation on a std::atomic is atomic; a load followed by a store "
     "is not. 'a.store(a.load() + 1)' loses the increments other threads "
     "make in between, and 'if (!f) { f = true; ... }' lets two threads both "
     "pass the test. concur follows the loaded value through locals and "
     "branches over the control-flow graph, and stays silent on fetch_ "
     "operations, compare-exchange loops, stores independent of the load, "
     "a load and store under a lock every other writer holds, and an "
     "atomic written only by one function that one thread runs. It offers "
     "fetch_add (sub, or, and, xor) and exchange(true) where the rewrite "
     "is exact.",
     "checks/atomic-check-then-act.md", "warning"},
    {"concur-thread-not-joined",
     "A std::thread can be destroyed while still joinable.",
     "Destroying a std::thread that was started and neither joined nor "
     "detached calls std::terminate: the whole process dies. concur follows "
     "each local thread (and each local container of threads) through the "
     "function, and reports an early return, a throw or the end of scope "
     "that reaches its destructor while it may be joinable; it also reports "
     "a thread member that the class starts but whose destructor (and "
     "everything it calls) never joins or detaches. std::jthread, threads "
     "moved away or handed to an RAII joiner, and joinable() checks are "
     "understood.",
     "checks/thread-not-joined.md", "warning"},
    {"concur-detached-capture",
     "A task that can outlive its spawner captures a local by reference.",
     "A detached thread, or a callable handed to a pool, timer or event loop "
     "that runs it later, that captures a local variable or a parameter of "
     "the function that starts it by reference (or gets a std::ref or a "
     "pointer to one) reads and writes a dead stack frame once that function "
     "returns; so does one that captures `this` when the object is a local "
     "of the caller. concur reports each such capture, with where the task is let "
     "go and where the variable dies, unless the function waits for the task "
     "(a join, a future's get, a latch or WaitGroup wait) after spawning it.",
     "checks/detached-capture.md", "warning"},
    {"concur-stop-ignored",
     "A loop on a thread cannot be stopped: it ignores the stop token or flag.",
     "A thread whose callable receives a std::stop_token (a std::jthread's "
     "does) but whose loop never consults it and has no other way out, or a "
     "thread body's endless loop with no way out at all while its class has "
     "a stop flag (a member that stop(), shutdown() or the destructor sets) "
     "that the loop never reads: the stop request is lost, and the join "
     "that follows it (a jthread's destructor, a stop() that joins) blocks "
     "forever. concur finds the thread bodies from the spawn sites and reads "
     "each loop's ways out (break, return, throw, goto, a noreturn call, a "
     "false condition) from the control-flow graph.",
     "checks/stop-ignored.md", "warning"},
};

llvm::ArrayRef<CheckInfo> allChecks() { return Checks; }

const CheckInfo *findCheck(llvm::StringRef Id) {
  for (const CheckInfo &C : Checks)
    if (Id == C.Id)
      return &C;
  return nullptr;
}

const char *findingLevel(const Finding &F) {
  switch (F.Level) {
  case FindingLevel::Warning:
    return "warning";
  case FindingLevel::Note:
    return "note";
  case FindingLevel::Default:
    break;
  }
  const CheckInfo *C = findCheck(F.CheckId);
  return C ? C->DefaultLevel : "warning";
}

int levelRank(llvm::StringRef Level) {
  return llvm::StringSwitch<int>(Level)
      .Case("note", 0)
      .Case("warning", 1)
      .Case("error", 2)
      .Default(1);
}

std::string checkHelpUri(const CheckInfo &C) {
  return std::string(CONCUR_DOCS_BASE_URL) + "/" + C.DocPage;
}

CheckFilter::CheckFilter(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Text.split(Parts, ',', -1, false);
  for (llvm::StringRef P : Parts) {
    P = P.trim();
    if (P.empty())
      continue;
    bool Positive = !P.consume_front("-");
    Globs.push_back({Positive, P.trim().str()});
  }
}

std::vector<std::string> CheckFilter::unmatchedPatterns() const {
  std::vector<std::string> Unmatched;
  for (const Glob &G : Globs) {
    if (!G.Positive)
      continue; // removing nothing is harmless
    auto Pat = llvm::GlobPattern::create(G.Pattern);
    if (!Pat) {
      llvm::consumeError(Pat.takeError());
      Unmatched.push_back(G.Pattern);
      continue;
    }
    if (llvm::none_of(allChecks(),
                      [&](const CheckInfo &C) { return Pat->match(C.Id); }))
      Unmatched.push_back(G.Pattern);
  }
  return Unmatched;
}

bool CheckFilter::enabled(llvm::StringRef CheckId) const {
  bool On = false;
  for (const Glob &G : Globs) {
    auto Pat = llvm::GlobPattern::create(G.Pattern);
    if (Pat && Pat->match(CheckId))
      On = G.Positive;
    else if (!Pat)
      llvm::consumeError(Pat.takeError());
  }
  return On;
}

} // namespace concur
