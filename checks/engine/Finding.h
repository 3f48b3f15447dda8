//===- Finding.h - What a check reports --------------------------*- C++ -*-===//
//
// A finding is front-end neutral: the clang-tidy plugin turns it into a
// warning with notes, the driver into text or SARIF, the LSP server into a
// diagnostic. All three see the same list, in the same order.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_FINDING_H
#define CONCUR_ENGINE_FINDING_H

#include "clang/Basic/SourceLocation.h"
#include <optional>
#include <string>
#include <vector>

namespace concur {

struct FindingNote {
  clang::SourceLocation Loc;
  std::string Message;
};

/// A fix-it: the text of Range becomes Text. Offered only where the change
/// is safe on its own (it compiles and keeps the meaning).
struct FindingFix {
  clang::CharSourceRange Range;
  std::string Text;
};

/// How much a finding matters. Default is the check's level (CheckInfo);
/// a check lowers a finding to Note when its consequence is mild (a stale
/// read of a scalar), so that gates fail on warnings only.
enum class FindingLevel { Default, Warning, Note };

struct Finding {
  std::string CheckId;
  FindingLevel Level = FindingLevel::Default;
  clang::SourceLocation Loc;
  std::string Message;
  /// Why: where each lock was taken, the guarded accesses, the close site.
  std::vector<FindingNote> Notes;
  /// When the finding goes through calls: each call on the way down to the
  /// operation, outermost first (a SARIF code flow).
  std::vector<FindingNote> CallChain;
  /// The note where the story of a code flow starts (the lock's
  /// acquisition, the close, the spawn), if any: SARIF's code flow begins
  /// there, before the call chain.
  std::optional<unsigned> FlowStartNote;
  /// The last token the primary location covers, when it is more than the
  /// token at Loc (a qualified callee: `std::this_thread::sleep_for`).
  clang::SourceLocation EndLoc;
  /// Replacements that fix the finding, applied together.
  std::vector<FindingFix> Fixes;
  /// A finding about several threads (a lock-order inversion): the steps
  /// each thread takes, as indices into Notes, PrimaryStep standing for the
  /// finding's own location. SARIF shows one code flow with a thread flow
  /// per path, in place of the call chain's.
  static constexpr unsigned PrimaryStep = ~0u;
  std::vector<std::vector<unsigned>> ThreadPaths;
  /// Set when the finding's function runs unlocked only through overrides
  /// that no code of its file calls (it is one, or every caller without a
  /// lock is one), so that their callers are elsewhere: per override, the
  /// USRs of the calls that may run it (its own, then those of the methods
  /// it overrides). Such a finding goes into the facts, and the project
  /// link reports it unless every call that may run them holds a lock.
  std::vector<std::vector<std::string>> CalledAs;
};

/// Notes [From, End) as one thread's path; with Primary, the finding's own
/// location follows the first step (the event the path starts from).
inline std::vector<unsigned> threadPath(unsigned From, unsigned End,
                                        bool Primary) {
  std::vector<unsigned> Path;
  for (unsigned I = From; I < End; ++I) {
    Path.push_back(I);
    if (Primary && I == From)
      Path.push_back(Finding::PrimaryStep);
  }
  return Path;
}

} // namespace concur

#endif
