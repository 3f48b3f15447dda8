//===- FactsStore.h - Translation units' facts on disk ----------*- C++ -*-===//
//
// One file per translation unit in a facts directory (by default
// <build dir>/.concur), named after its main file's path relative to the
// source root, holding UnitFacts as CBOR with a format version. Paths inside
// are relative to the source root when they are near it, so that shards
// extracted in checkouts at different paths link together. Files are written
// to a temporary file and renamed, so that two runs sharing the directory
// never leave a torn file; a file that is torn anyway, of another version or
// otherwise invalid is reported and extracted again, never trusted.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_FACTS_FACTSSTORE_H
#define CONCUR_DRIVER_FACTS_FACTSSTORE_H

#include "driver/facts/UnitFacts.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <mutex>
#include <set>

namespace concur {

/// How a path is stored: relative to Root when it is below it or shares its
/// first directory with it ("../src/a.cc" from a build directory), else
/// absolute (system headers).
std::string storedPath(llvm::StringRef Abs, llvm::StringRef Root);
/// The absolute path a stored path names under Root.
std::string restoredPath(llvm::StringRef Stored, llvm::StringRef Root);

std::vector<uint8_t> serializeFacts(const UnitFacts &U, llvm::StringRef Root);
/// Fails with a message saying what is wrong (version, truncation, field).
llvm::Expected<UnitFacts> parseFacts(llvm::ArrayRef<uint8_t> Bytes,
                                     llvm::StringRef Root);

/// What decides whether a TU's facts can be reused besides the files it
/// read: its compile command and concur's own configuration (version,
/// checks, rules, options that change findings).
std::string unitKey(const clang::tooling::CompileCommand &Command,
                    llvm::StringRef Configuration);

/// Content hashes of files, computed once per run however many TUs read
/// them. Thread-safe.
class FileHashes {
public:
  std::optional<uint64_t> hashOf(const std::string &File);

private:
  std::mutex Mutex;
  llvm::StringMap<std::optional<uint64_t>> Hashes;
};

class FactsStore {
public:
  FactsStore(std::string Dir, std::string Root)
      : Dir(std::move(Dir)), Root(std::move(Root)) {}

  const std::string &dir() const { return Dir; }
  const std::string &root() const { return Root; }

  /// The facts file of a main file.
  std::string pathFor(llvm::StringRef MainFile) const;
  /// Every facts file in the directory, sorted.
  std::vector<std::string> allFiles() const;
  /// Deletes the facts of every main file not in MainFiles (files removed
  /// from the build, whose facts would otherwise still be linked); returns
  /// how many.
  unsigned prune(const std::set<std::string> &MainFiles) const;

  /// Reads a facts file; on failure, Problem says why (empty when the file
  /// simply does not exist).
  std::optional<UnitFacts> load(const std::string &FactsFile,
                                std::string &Problem) const;
  /// The stored facts of MainFile if their key is Key, they are of a clean
  /// parse and every file they read still has the content they read.
  /// Otherwise Stale says why not ("no facts yet", "'a.h' changed").
  std::optional<UnitFacts> loadFresh(const std::string &MainFile,
                                     const std::string &Key, FileHashes &Hashes,
                                     std::string &Problem, std::string &Stale) const;
  /// Writes atomically (a temporary file, then a rename).
  llvm::Error save(const UnitFacts &U) const;

private:
  std::string Dir, Root;
};

/// Serialises and parses U once, so that facts used fresh in this run are
/// exactly those a later run or a link will read back.
llvm::Expected<UnitFacts> normalisedFacts(const UnitFacts &U, llvm::StringRef Root);

} // namespace concur

#endif
