#!/usr/bin/env python3
"""Damages a facts file (CBOR) in place, as a crash, a disk or another
version of concur would:

  damage.py FILE truncate   -> keeps the first half
  damage.py FILE garbage    -> not CBOR at all
  damage.py FILE version    -> format version 99
  damage.py FILE fieldtype  -> the "failed" flag becomes a string
  damage.py FILE deep       -> a million nested arrays
  damage.py FILE helpercall -> a helper call's "someLock" becomes a string
  damage.py FILE calledas   -> a conditional finding's first key becomes a number
  damage.py FILE hugecount  -> an array that claims 2^62 elements
  damage.py FILE trailing   -> a byte after the document
  damage.py FILE tagged     -> the document wrapped in a CBOR tag
"""
import sys

path, how = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
if how == "truncate":
    data = data[: len(data) // 2]
elif how == "garbage":
    data = b"\xff\x00 this is not a facts file"
elif how == "version":
    # text(7) "version", then the version as a small unsigned (below 24)
    key = b"\x67version"
    at = data.find(key) + len(key)
    assert at >= len(key) and data[at] < 0x18, "no small version in " + path
    data = data[:at] + b"\x18\x63" + data[at + 1:]  # unsigned 99
elif how == "fieldtype":
    key = b"\x66failed\xf4"  # text(6) "failed", false
    assert key in data, "no failed flag in " + path
    data = data.replace(key, b"\x66failed\x61x")  # text(1) "x"
elif how == "helpercall":
    key = b"\x68someLock"  # text(8) "someLock", then true or false
    at = data.find(key) + len(key)
    assert at >= len(key) and data[at] in (0xf4, 0xf5), "no helper call in " + path
    data = data[:at] + b"\x61x" + data[at + 1:]  # text(1) "x"
elif how == "deep":
    data = b"\x81" * 1000000 + b"\x00"  # array(1) of array(1) of ... 0
elif how == "calledas":
    key = b"\x68calledAs\x81"  # text(8) "calledAs", array(1), then array(n)
    at = data.find(key) + len(key)
    assert at >= len(key) and 0x81 <= data[at] <= 0x97, "no calledAs in " + path
    at += 1
    assert 0x60 <= data[at] <= 0x7b, "no calledAs key in " + path
    n = data[at] & 0x1f
    head = 1 + {24: 1, 25: 2, 26: 4, 27: 8}.get(n, 0)
    length = n if n < 24 else int.from_bytes(data[at + 1:at + head], "big")
    data = data[:at] + b"\x00" + data[at + head + length:]  # unsigned 0
elif how == "hugecount":
    data = b"\x9b\x40" + b"\x00" * 7 + b"\x00"  # array(2^62) holding one 0
elif how == "trailing":
    data = data + b"\x00"
elif how == "tagged":
    data = b"\xc0" + data  # tag 0 (a date-time string), then the facts
else:
    sys.exit("unknown damage " + how)
open(path, "wb").write(data)
