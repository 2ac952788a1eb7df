#!/usr/bin/python3
"""Writes variants of a real SYSTEM hive with python3-hivex, each reproducing one thing real
hives do (docs/machine-import.md#readings):

  sav      Select\\Current = 0, as in a setup copy (system.sav); Select\\Default stays 1
  noselect the Select key removed: two ControlSetNNN and nothing naming the current one
  quirks   in the current control set: a leftover key (an Instances key, no Type, no Start, as
           Process Monitor leaves behind) in an FSFilter group; a filter whose Instances key has
           no instance subkey; a DefaultInstance differing from its instance's name only in case;
           a filter with an empty Group; a filter in a group ServiceGroupOrder does not list;
           ServiceGroupOrder\\List without "FSFilter Virtualization" (as on Windows XP); a
           GroupOrderList vector of 4 entries; a disabled (Start 4) legacy filter; and the base
           block's sequence numbers made to differ (a dirty hive).

Usage: make_variants.py BASE_HIVE OUT_DIR     -> OUT_DIR/<base>-{sav,noselect,quirks}
The expectations of the variants are written by expect.py, like those of the real hives.
"""
import os
import shutil
import struct
import sys

import hivex


def dword(n):
    return struct.pack("<I", n)


def sz(s):
    return (s + "\0").encode("utf-16le")


def multi(items):
    return b"".join((s + "\0").encode("utf-16le") for s in items) + b"\0\0"


def child(h, node, name):
    for c in h.node_children(node):
        if h.node_name(c).lower() == name.lower():
            return c
    return None


def setv(h, node, name, t, data):
    h.node_set_value(node, {"key": name, "t": t, "value": data})


def current_set(h):
    sel = child(h, h.root(), "Select")
    for v in h.node_values(sel):
        if h.value_key(v) == "Current":
            return "ControlSet%03d" % h.value_dword(v)
    return "ControlSet001"


def sav(base, out):
    h = hivex.Hivex(base, write=True)
    setv(h, child(h, h.root(), "Select"), "Current", 4, dword(0))
    h.commit(out)


def noselect(base, out):
    h = hivex.Hivex(base, write=True)
    h.node_delete_child(child(h, h.root(), "Select"))
    h.commit(out)


def service(h, services, name, values):
    node = child(h, services, name) or h.node_add_child(services, name)
    for n, t, data in values:
        setv(h, node, n, t, data)
    return node


def instances(h, svc, default, insts):
    node = h.node_add_child(svc, "Instances")
    if default is not None:
        setv(h, node, "DefaultInstance", 1, sz(default))
    for name, alt in insts:
        i = h.node_add_child(node, name)
        setv(h, i, "Altitude", 1, sz(alt))
        setv(h, i, "Flags", 4, dword(0))
    return node


def quirks(base, out):
    h = hivex.Hivex(base, write=True)
    cs = child(h, h.root(), current_set(h))
    services = child(h, cs, "Services")
    # A leftover: Instances and Group, no Type, no Start (Process Monitor's key after removal).
    s = service(h, services, "PROCMON99", [("Group", 1, sz("FSFilter Activity Monitor"))])
    instances(h, s, "Process Monitor 99 Instance", [("Process Monitor 99 Instance", "385299")])
    # An Instances key without instance subkeys, in an FSFilter group: a legacy filter.
    s = service(h, services, "EmptyInst", [("Type", 4, dword(2)), ("Start", 4, dword(3)),
                                           ("Group", 1, sz("FSFilter Bottom"))])
    instances(h, s, "EmptyInst", [])
    # DefaultInstance differing in case only.
    s = service(h, services, "CaseDef", [("Type", 4, dword(2)), ("Start", 4, dword(3)),
                                         ("Group", 1, sz("FSFilter Activity Monitor")),
                                         ("DependOnService", 7, multi(["FltMgr"]))])
    instances(h, s, "casedef instance", [("CaseDef Instance", "385301")])
    # An empty Group.
    s = service(h, services, "NoGroup", [("Type", 4, dword(1)), ("Start", 4, dword(3)),
                                         ("Group", 1, sz(""))])
    instances(h, s, "NoGroup", [("NoGroup", "46001")])
    # A group that ServiceGroupOrder does not list.
    s = service(h, services, "PrivGroup", [("Type", 4, dword(2)), ("Start", 4, dword(3)),
                                           ("Group", 1, sz("FS Private filters")),
                                           ("DependOnService", 7, multi(["FltMgr"]))])
    instances(h, s, "PrivGroup", [("PrivGroup", "370301")])
    # A disabled legacy filter with a tag (Type 1, FSFilter Anti-Virus, Start 4).
    service(h, services, "OldAv", [("Type", 4, dword(1)), ("Start", 4, dword(4)),
                                   ("Group", 1, sz("FSFilter Anti-Virus")),
                                   ("Tag", 4, dword(3))])
    control = child(h, cs, "Control")
    sgo = child(h, control, "ServiceGroupOrder")
    lst = None
    for v in h.node_values(sgo):
        if h.value_key(v) == "List":
            lst = h.value_multiple_strings(v)
    setv(h, sgo, "List", 7, multi([g for g in lst if g != "FSFilter Virtualization"]))
    gol = child(h, control, "GroupOrderList")
    setv(h, gol, "FSFilter Anti-Virus", 3, dword(4) + b"".join(dword(t) for t in (2, 3, 1, 4)))
    h.commit(out)
    # A dirty hive: the secondary sequence number behind the primary one (the checksum of the
    # base block, dword 127, is the XOR of the first 127 dwords and is kept right).
    with open(out, "r+b") as f:
        blk = bytearray(f.read(512))
        s1 = struct.unpack_from("<I", blk, 4)[0]
        struct.pack_into("<I", blk, 8, s1 - 1)
        x = 0
        for i in range(127):
            x ^= struct.unpack_from("<I", blk, 4 * i)[0]
        struct.pack_into("<I", blk, 508, x)
        f.seek(0)
        f.write(blk)


def main(argv):
    base, outdir = argv[1], argv[2]
    name = os.path.basename(base)
    os.makedirs(outdir, exist_ok=True)
    for fn in (sav, noselect, quirks):
        fn(base, os.path.join(outdir, "%s-%s" % (name, fn.__name__)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
