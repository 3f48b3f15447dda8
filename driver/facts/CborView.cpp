//===- CborView.cpp -------------------------------------------------------===//

#include "driver/facts/CborView.h"
#include "llvm/ADT/SmallVector.h"

namespace concur {

namespace {

/// A value's head: its major type, the additional information and the
/// argument it encodes, and its own length in bytes.
struct Head {
  unsigned Major = 0, Info = 0;
  uint64_t Arg = 0;
  unsigned Length = 1;
};

/// Reads a head at P; with a bound, refuses one that does not fit or that
/// CBOR reserves (28-30) or that has an indefinite length (31).
bool readHead(const uint8_t *P, const uint8_t *End, Head &H) {
  if (End && P >= End)
    return false;
  H.Major = P[0] >> 5;
  H.Info = P[0] & 0x1f;
  if (H.Info < 24) {
    H.Arg = H.Info;
    H.Length = 1;
    return true;
  }
  if (H.Info > 27)
    return false;
  unsigned N = 1u << (H.Info - 24);
  if (End && uint64_t(End - P) < 1 + uint64_t(N))
    return false;
  H.Arg = 0;
  for (unsigned I = 0; I < N; ++I)
    H.Arg = (H.Arg << 8) | P[1 + I];
  H.Length = 1 + N;
  return true;
}

} // namespace

std::optional<CborValue> CborValue::validate(llvm::ArrayRef<uint8_t> Bytes,
                                             unsigned MaxDepth, bool &TooDeep) {
  TooDeep = false;
  const uint8_t *P = Bytes.data(), *End = Bytes.data() + Bytes.size();
  if (Bytes.empty())
    return std::nullopt;
  struct Open {
    uint64_t Left; ///< values still to come (a map's keys and values both)
    bool IsMap;
  };
  llvm::SmallVector<Open, 16> Stack;
  for (;;) {
    Head H;
    if (!readHead(P, End, H))
      return std::nullopt;
    // A map's keys are text, as nlohmann::json writes them.
    if (!Stack.empty() && Stack.back().IsMap && Stack.back().Left % 2 == 0 &&
        H.Major != 3)
      return std::nullopt;
    uint64_t Room = uint64_t(End - P) - H.Length;
    bool Opened = false;
    switch (H.Major) {
    case 0:
    case 1:
      break;
    case 2:
    case 3:
      if (H.Arg > Room)
        return std::nullopt;
      P += H.Arg;
      break;
    case 4:
    case 5: {
      // Every value takes a byte at least: a count beyond the bytes left
      // is a lie, refused before anything trusts it.
      uint64_t Values = H.Arg;
      if (H.Major == 5) {
        if (Values > Room / 2)
          return std::nullopt;
        Values *= 2;
      }
      if (Values > Room)
        return std::nullopt;
      if (Values == 0)
        break;
      if (Stack.size() + 1 > MaxDepth) {
        TooDeep = true;
        return std::nullopt;
      }
      Stack.push_back({Values, H.Major == 5});
      Opened = true;
      break;
    }
    case 7:
      if (H.Info >= 20 && H.Info <= 22)
        break; // false, true, null
      if (H.Info >= 25 && H.Info <= 27)
        break; // a float: the head held its bits
      return std::nullopt;
    default: // tags
      return std::nullopt;
    }
    P += H.Length;
    if (Opened)
      continue;
    // A value is complete: so is every container it completes.
    while (!Stack.empty() && --Stack.back().Left == 0)
      Stack.pop_back();
    if (Stack.empty())
      break;
  }
  if (P != End)
    return std::nullopt; // bytes after the document
  return decode(Bytes.data());
}

CborValue CborValue::decode(const uint8_t *P) {
  Head H;
  readHead(P, nullptr, H);
  CborValue V;
  V.Arg = H.Arg;
  V.Payload = P + H.Length;
  switch (H.Major) {
  case 0: V.K = Kind::Unsigned; break;
  case 1: V.K = Kind::Negative; break;
  case 2: V.K = Kind::Bytes; break;
  case 3: V.K = Kind::Text; break;
  case 4: V.K = Kind::Array; break;
  case 5: V.K = Kind::Map; break;
  default:
    V.K = H.Info == 20   ? Kind::False
          : H.Info == 21 ? Kind::True
          : H.Info == 22 ? Kind::Null
                         : Kind::Float;
    V.Arg = 0;
    break;
  }
  return V;
}

const uint8_t *CborValue::skip(const uint8_t *P) {
  // Values still to pass: this one, then whatever containers add.
  uint64_t Left = 1;
  while (Left) {
    Head H;
    readHead(P, nullptr, H);
    P += H.Length;
    --Left;
    if (H.Major == 2 || H.Major == 3)
      P += H.Arg;
    else if (H.Major == 4)
      Left += H.Arg;
    else if (H.Major == 5)
      Left += 2 * H.Arg;
  }
  return P;
}

CborValue CborValue::operator[](uint64_t I) const {
  const uint8_t *P = Payload;
  for (uint64_t J = 0; J < I; ++J)
    P = skip(P);
  return decode(P);
}

std::optional<CborValue> CborValue::find(llvm::StringRef Key) const {
  if (K != Kind::Map)
    return std::nullopt;
  const uint8_t *P = Payload;
  for (uint64_t E = 0; E < Arg; ++E) {
    CborValue Name = decode(P);
    P = skip(P);
    if (Name.text() == Key)
      return decode(P);
    P = skip(P);
  }
  return std::nullopt;
}

} // namespace concur
