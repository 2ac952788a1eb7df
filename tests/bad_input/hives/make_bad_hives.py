#!/usr/bin/python3
"""Writes the damaged hives of tests/bad_input/hives/ from tests/corpus/machine/system_small.hiv:
python3-hivex adds keys and values, then single fields of the regf cells are patched (layout:
msuhanov/regf "Windows registry file format specification"; a hivex node handle is the file
offset of the key's cell, whose 'nk' record starts 4 bytes later).

  nul_value_name.hiv      a value named "Altitude\\0X" next to the real Altitude of
                          AlphaMon Instance (value names are counted strings: NUL is legal bytes)
  backslash_key_name.hiv  a key named "Services\\Evil" under ControlSet001 (a phantom service)
  self_loop.hiv           ControlSet001\\Loop lists itself as its only subkey
  shared_subkeys.hiv      ControlSet001\\Dag's two subkeys are the same key (a DAG, not a tree)
  wrong_subkey_count.hiv  ControlSet001\\Control says 3 subkeys; its list holds 4
  wrong_value_count.hiv   AlphaMon\\Instances\\AlphaMon Instance says 5 values; it has 2
Usage: make_bad_hives.py SYSTEM_SMALL_HIV OUT_DIR
"""
import os
import struct
import sys

import hivex

NK_SUBKEYS = 4 + 20   # nk: signature at +4; number of subkeys at +24 from the cell start
NK_SUBKEY_LIST = 4 + 28
NK_VALUES = 4 + 36
BASE = 0x1000          # cell offsets inside the file are relative to the first hive bin


def child(h, node, name):
    for c in h.node_children(node):
        if h.node_name(c).lower() == name.lower():
            return c
    raise KeyError(name)


def path(h, *names):
    n = h.root()
    for x in names:
        n = child(h, n, x)
    return n


def sz(s):
    return (s + "\0").encode("utf-16le")


def write(h, out):
    h.commit(out)


def patch(out, fn):
    data = bytearray(open(out, "rb").read())
    fn(data)
    open(out, "wb").write(data)


def replace_once(data, old, new):
    i = data.find(old)
    assert i >= 0 and data.find(old, i + 1) < 0, old
    data[i:i + len(old)] = new


def u32(data, at):
    return struct.unpack_from("<I", data, at)[0]


def list_entries(data, nk):
    """File offsets of the 4-byte subkey offsets inside an lf/lh/li list of a key."""
    lst = u32(data, nk + NK_SUBKEY_LIST) + BASE
    sig = bytes(data[lst + 4:lst + 6])
    n = struct.unpack_from("<H", data, lst + 6)[0]
    step = 4 if sig == b"li" else 8
    assert sig in (b"lf", b"lh", b"li"), sig
    return [lst + 8 + step * i for i in range(n)]


def main(argv):
    base, outdir = argv[1], argv[2]
    os.makedirs(outdir, exist_ok=True)
    o = lambda n: os.path.join(outdir, n)  # noqa: E731

    h = hivex.Hivex(base, write=True)
    inst = path(h, "ControlSet001", "Services", "AlphaMon", "Instances", "AlphaMon Instance")
    h.node_set_value(inst, {"key": "AltitudeZX", "t": 1, "value": sz("1")})
    write(h, o("nul_value_name.hiv"))
    patch(o("nul_value_name.hiv"), lambda d: replace_once(d, b"AltitudeZX", b"Altitude\0X"))

    h = hivex.Hivex(base, write=True)
    evil = h.node_add_child(path(h, "ControlSet001"), "ServicesZEvil")
    for k, t, v in (("Type", 4, struct.pack("<I", 2)), ("Start", 4, struct.pack("<I", 0)),
                    ("Group", 1, sz("FSFilter Anti-Virus"))):
        h.node_set_value(evil, {"key": k, "t": t, "value": v})
    write(h, o("backslash_key_name.hiv"))
    patch(o("backslash_key_name.hiv"), lambda d: replace_once(d, b"ServicesZEvil", b"Services\\Evil"))

    h = hivex.Hivex(base, write=True)
    loop = h.node_add_child(path(h, "ControlSet001"), "Loop")
    h.node_add_child(loop, "Inner")
    write(h, o("self_loop.hiv"))

    def self_loop(d):
        (e,) = list_entries(d, loop)
        struct.pack_into("<I", d, e, loop - BASE)
    patch(o("self_loop.hiv"), self_loop)

    h = hivex.Hivex(base, write=True)
    dag = h.node_add_child(path(h, "ControlSet001"), "Dag")
    a = h.node_add_child(dag, "A")
    h.node_add_child(dag, "B")
    write(h, o("shared_subkeys.hiv"))

    def shared(d):
        entries = list_entries(d, dag)
        for e in entries:
            struct.pack_into("<I", d, e, a - BASE)
    patch(o("shared_subkeys.hiv"), shared)

    h = hivex.Hivex(base)
    control = path(h, "ControlSet001", "Control")
    inst = path(h, "ControlSet001", "Services", "AlphaMon", "Instances", "AlphaMon Instance")
    del h

    def wrong_subkeys(d):
        n = u32(d, control + NK_SUBKEYS)
        struct.pack_into("<I", d, control + NK_SUBKEYS, n - 1)
    open(o("wrong_subkey_count.hiv"), "wb").write(open(base, "rb").read())
    patch(o("wrong_subkey_count.hiv"), wrong_subkeys)

    def wrong_values(d):
        n = u32(d, inst + NK_VALUES)
        struct.pack_into("<I", d, inst + NK_VALUES, n + 3)
    open(o("wrong_value_count.hiv"), "wb").write(open(base, "rb").read())
    patch(o("wrong_value_count.hiv"), wrong_values)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
