//===- JsonInput.cpp ------------------------------------------------------===//

#include "driver/JsonInput.h"
#include "checks/engine/JsonLineIndex.h"

namespace concur {

llvm::Expected<JsonInput> JsonInput::read(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return llvm::createStringError(Buf.getError(), "%s: cannot read: %s",
                                   Path.str().c_str(),
                                   Buf.getError().message().c_str());
  return parse(Path, (*Buf)->getBuffer());
}

llvm::Expected<JsonInput> JsonInput::parse(llvm::StringRef Name,
                                           llvm::StringRef Text) {
  auto Fail = [&](unsigned Line, const std::string &What) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s:%u: %s",
                                   Name.str().c_str(), Line, What.c_str());
  };
  if (std::optional<unsigned> Line = lineOfExcessiveNesting(Text))
    return Fail(*Line, "arrays and objects nested more than " +
                           std::to_string(MaxJsonNesting) + " deep");
  JsonInput In;
  In.Path = Name.str();
  In.Text = Text.str();
  try {
    In.Value = json::parse(In.Text.begin(), In.Text.end());
  } catch (const json::parse_error &E) {
    // nlohmann reports a byte offset; turn it into a line.
    size_t Offset = std::min<size_t>(E.byte ? E.byte - 1 : 0, Text.size());
    unsigned Line = 1 + Text.take_front(Offset).count('\n');
    // "[json.exception.parse_error.101] parse error at line 3, column 5:
    // syntax error while parsing ...": keep the reason.
    std::string What = E.what();
    size_t Colon = What.find(": ", What.find("column"));
    return Fail(Line, "not valid JSON: " + (Colon == std::string::npos
                                                ? What
                                                : What.substr(Colon + 2)));
  } catch (const json::exception &E) {
    // A number too large for a double (1e999) is out_of_range, with no
    // position.
    std::string What = E.what();
    size_t Close = What.find("] ");
    return Fail(1, "not valid JSON: " + (Close == std::string::npos
                                            ? What
                                            : What.substr(Close + 2)));
  }
  return std::move(In);
}

llvm::Error JsonInput::error(const std::string &Pointer,
                             const llvm::Twine &What) const {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s:%u: %s",
                                 Path.c_str(), lineOf(Pointer),
                                 What.str().c_str());
}

unsigned JsonInput::lineOf(const std::string &Pointer) const {
  if (!Lines)
    Lines = std::make_shared<JsonLineIndex>(Text);
  return Lines->lineOf(Pointer);
}

bool JsonInput::is(const json &V, Kind K) {
  switch (K) {
  case Kind::Object:
    return V.is_object();
  case Kind::Array:
    return V.is_array();
  case Kind::String:
    return V.is_string();
  case Kind::Integer:
    return V.is_number_integer();
  case Kind::Boolean:
    return V.is_boolean();
  }
  return false;
}

llvm::Error JsonInput::expect(const json &V, const std::string &Pointer,
                              Kind K) const {
  if (is(V, K))
    return llvm::Error::success();
  static const char *const Names[] = {"an object", "an array", "a string",
                                      "an integer", "true or false"};
  std::string Where = Pointer.empty() ? "the top level" : "'" + Pointer + "'";
  return error(Pointer, Where + " must be " + Names[int(K)]);
}

llvm::Error JsonInput::expectIfPresent(const json &Parent,
                                       const std::string &Pointer,
                                       const char *Key, Kind K) const {
  if (!Parent.is_object() || !Parent.contains(Key))
    return llvm::Error::success();
  return expect(Parent[Key], Pointer + "/" + Key, K);
}

} // namespace concur
