#!/usr/bin/env python3
"""Writes an empty registry hive (regf) with one root key, the starting point hivexregedit
--merge needs (hivex cannot create a hive from nothing). Layout from the regf format as hivex
reads it: a 4 KiB base block (signature, sequence numbers, version 1.3, root cell offset, hive
bins size, checksum = XOR of the first 127 dwords), then one 4 KiB hive bin holding the root
'nk' cell, its 'sk' (security) cell and one free cell. Used by make_fixtures.sh only; fltsim
reads hives through libhivex (manifest/src/hive_reader.cpp)."""
import struct
import sys


def cell(payload: bytes) -> bytes:
    size = 4 + len(payload)
    size = (size + 7) // 8 * 8
    return struct.pack("<i", -size) + payload + b"\0" * (size - 4 - len(payload))


def main(path: str) -> None:
    root_name = b"ROOT"
    nk_off = 0x20  # first cell of the first hive bin
    # nk: id, flags (KEY_HIVE_ENTRY | KEY_NO_DELETE | KEY_COMP_NAME), timestamp, access bits,
    # parent, subkeys, volatile subkeys, subkey list, volatile list, values, value list, sk,
    # class, max subkey name, unknown, max class, max value name, max value data, work var,
    # name length, class length, name.
    nk_payload = b"nk" + struct.pack(
        "<HQIIIIiiIiiiHHIIIIHH", 0x2C, 0, 0, 0, 0, 0, -1, -1, 0, -1, 0, -1, 0, 0, 0, 0, 0, 0,
        len(root_name), 0) + root_name
    nk = cell(nk_payload)
    sk_off = nk_off + len(nk)
    # A self-relative security descriptor with an empty DACL.
    sd = struct.pack("<BBHIIII", 1, 0, 0x8004, 0, 0, 0, 20) + struct.pack("<BBHHH", 2, 0, 8, 0, 0)
    sk_payload = b"sk" + struct.pack("<HIIII", 0, sk_off, sk_off, 1, len(sd)) + sd
    sk = cell(sk_payload)
    # patch the nk's sk offset (payload offset 4 + 2 + 2 + 8 + 4 * 10 = 56 -> cell offset 48)
    nk = nk[:48] + struct.pack("<I", sk_off) + nk[52:]
    used = 0x20 + len(nk) + len(sk)
    free = 0x1000 - used
    hbin = b"hbin" + struct.pack("<III", 0, 0x1000, 0) + b"\0" * 16 + nk + sk + struct.pack("<i", free)
    hbin += b"\0" * (0x1000 - len(hbin))
    base = bytearray(0x1000)
    struct.pack_into("<4sIIQIIIIIII", base, 0, b"regf", 1, 1, 0, 1, 3, 0, 1, nk_off, 0x1000, 1)
    csum = 0
    for i in range(0, 0x1FC, 4):
        csum ^= struct.unpack_from("<I", base, i)[0]
    struct.pack_into("<I", base, 0x1FC, csum)
    with open(path, "wb") as f:
        f.write(bytes(base) + hbin)


if __name__ == "__main__":
    main(sys.argv[1])
