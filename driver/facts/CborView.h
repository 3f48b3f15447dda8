//===- CborView.h -----------------------------------------------*- C++ -*-===//
//
// Reads a CBOR document in place, without building a tree of it. A re-run
// reads every unit's facts, and building nlohmann::json's tree for them (a
// map node and a string per key and value) was most of a re-run's fixed
// cost; the facts reader only walks each value once, in order, so a view
// over the bytes serves it. validate() checks the whole document first (in
// one pass, without recursion, to a bounded depth); the views it yields
// then never read outside the buffer.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_FACTS_CBORVIEW_H
#define CONCUR_DRIVER_FACTS_CBORVIEW_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>

namespace concur {

/// One value of a validated document. The accessors ask what the value
/// is; a caller checks before it reads (as with nlohmann::json).
class CborValue {
public:
  enum class Kind { Unsigned, Negative, Bytes, Text, Array, Map, False, True, Null, Float };

  /// The document's top value, or nothing when the bytes are not one
  /// well-formed document of the subset facts use (definite lengths, no
  /// tags) nesting at most MaxDepth containers. TooDeep says why.
  static std::optional<CborValue> validate(llvm::ArrayRef<uint8_t> Bytes,
                                           unsigned MaxDepth, bool &TooDeep);

  Kind kind() const { return K; }
  bool isNull() const { return K == Kind::Null; }
  bool isBool() const { return K == Kind::False || K == Kind::True; }
  bool isUnsigned() const { return K == Kind::Unsigned; }
  bool isInteger() const { return K == Kind::Unsigned || K == Kind::Negative; }
  bool isText() const { return K == Kind::Text; }
  bool isArray() const { return K == Kind::Array; }
  bool isMap() const { return K == Kind::Map; }

  bool boolean() const { return K == Kind::True; }
  uint64_t unsignedValue() const { return Arg; }
  /// A negative integer's value, when it fits an int64_t.
  std::optional<int64_t> negativeValue() const {
    if (Arg > uint64_t(INT64_MAX))
      return std::nullopt;
    return -1 - int64_t(Arg);
  }
  llvm::StringRef text() const {
    return llvm::StringRef(reinterpret_cast<const char *>(Payload), Arg);
  }
  /// Elements of an array, entries of a map.
  uint64_t size() const { return Arg; }

  /// An array's element I (walks the elements before it).
  CborValue operator[](uint64_t I) const;
  /// A map's value under a text key, if any.
  std::optional<CborValue> find(llvm::StringRef Key) const;

  /// An array's elements, in order.
  class iterator {
  public:
    iterator(const uint8_t *At, uint64_t Left) : At(At), Left(Left) {}
    CborValue operator*() const { return decode(At); }
    iterator &operator++() {
      At = skip(At);
      --Left;
      return *this;
    }
    bool operator!=(const iterator &O) const { return Left != O.Left; }

  private:
    const uint8_t *At;
    uint64_t Left;
  };
  iterator begin() const { return iterator(Payload, K == Kind::Array ? Arg : 0); }
  iterator end() const { return iterator(nullptr, 0); }

private:
  /// The value whose head starts at P (validated).
  static CborValue decode(const uint8_t *P);
  /// Just past the value starting at P, nested values included.
  static const uint8_t *skip(const uint8_t *P);

  Kind K = Kind::Null;
  uint64_t Arg = 0;                 ///< integer, length or element count
  const uint8_t *Payload = nullptr; ///< string bytes, or the first element
};

} // namespace concur

#endif
