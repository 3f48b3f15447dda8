//===- JsonInput.h - A JSON file read with care -----------------*- C++ -*-===//
//
// Every JSON file concur reads (baselines, logs to merge, suppressions,
// compile databases) is untrusted: it may be truncated, nested without end
// or hold a number where a string belongs. readJsonFile parses without
// throwing and refuses deep nesting; the readers then check each value's
// type before they use it, and report "file:line: what is wrong".
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_JSONINPUT_H
#define CONCUR_DRIVER_JSONINPUT_H

#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace concur {

class JsonLineIndex;

class JsonInput {
public:
  using json = nlohmann::ordered_json;
  enum class Kind { Object, Array, String, Integer, Boolean };

  /// Reads and parses Path; errors name the file and the line.
  static llvm::Expected<JsonInput> read(llvm::StringRef Path);
  /// The same for a text already in memory, named Name in errors.
  static llvm::Expected<JsonInput> parse(llvm::StringRef Name,
                                         llvm::StringRef Text);

  const json &value() const { return Value; }
  json &value() { return Value; }
  const std::string &path() const { return Path; }
  const std::string &text() const { return Text; }

  /// "file:line: What", the line of the value at Pointer ("/runs/0/tool").
  llvm::Error error(const std::string &Pointer, const llvm::Twine &What) const;
  /// The line of the value at Pointer (1 when unknown).
  unsigned lineOf(const std::string &Pointer) const;
  /// Fails unless V (found at Pointer) has kind K.
  llvm::Error expect(const json &V, const std::string &Pointer, Kind K) const;
  /// Fails unless Parent[Key], when present, has kind K.
  llvm::Error expectIfPresent(const json &Parent, const std::string &Pointer,
                              const char *Key, Kind K) const;

  static bool is(const json &V, Kind K);

private:
  std::string Path;
  std::string Text;
  json Value;
  /// Built on the first error: lines are only needed then.
  mutable std::shared_ptr<JsonLineIndex> Lines;
};

} // namespace concur

#endif
