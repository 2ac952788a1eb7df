#!/usr/bin/env python3
"""Regenerates the machine-import fixtures from the keys below (tests/corpus/README.md):
  system_small.reg  - what `reg export HKLM\\SYSTEM` writes: UTF-16LE with BOM, CRLF;
  system_small.hiv  - the same keys in an offline hive: make_empty_hive.py, then
                      `hivexregedit --merge` (Debian libwin-hivex-perl) of the UTF-8 copy.
Usage: tests/corpus/machine/make_fixtures.py   (writes next to itself)"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
P = "HKEY_LOCAL_MACHINE\\SYSTEM"
CS = P + "\\ControlSet001"


def dword(n):
    return "dword:%08x" % n


def multi(items):
    b = b"".join(s.encode("utf-16-le") + b"\0\0" for s in items) + b"\0\0"
    return "hex(7):" + ",".join("%02x" % c for c in b)


def expand(s):
    b = s.encode("utf-16-le") + b"\0\0"
    return "hex(2):" + ",".join("%02x" % c for c in b)


def binary(dwords):
    b = b"".join(d.to_bytes(4, "little") for d in dwords)
    return "hex:" + ",".join("%02x" % c for c in b)


def sz(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def service(name, typ, start, group=None, tag=None, depends=None, instances=None):
    keys = []
    vals = [("Type", dword(typ)), ("Start", dword(start))]
    if group:
        vals.append(("Group", sz(group)))
    if tag is not None:
        vals.append(("Tag", dword(tag)))
    if depends:
        vals.append(("DependOnService", multi(depends)))
    keys.append((CS + "\\Services\\" + name, vals))
    if instances:
        keys.append((CS + "\\Services\\" + name + "\\Instances",
                     [("DefaultInstance", sz(instances[0][0]))]))
        for iname, alt in instances:
            keys.append((CS + "\\Services\\" + name + "\\Instances\\" + iname,
                         [("Altitude", sz(alt)), ("Flags", dword(0))]))
    return keys


KEYS = [
    (P + "\\Select", [("Current", dword(1)), ("Default", dword(1)), ("LastKnownGood", dword(2))]),
    (CS + "\\Control\\ServiceGroupOrder",
     [("List", multi(["System Reserved", "SCSI Class", "FSFilter Infrastructure",
                      "FSFilter Bottom", "FSFilter Anti-Virus", "FSFilter Activity Monitor",
                      "Boot File System", "PNP_TDI"]))]),
    # GroupOrderList: a DWORD count, then the tags in load order.
    (CS + "\\Control\\GroupOrderList",
     [("FSFilter Activity Monitor", binary([3, 2, 1, 3])), ("SCSI Class", binary([1, 1]))]),
    (CS + "\\Control\\Session Manager\\I/O System", [("IoBlockLegacyFsFilters", dword(0))]),
    (CS + "\\Policies", [("FltmgrDevDriveAttachPolicy", multi(["bindFlt", "FileInfo"]))]),
]
KEYS += service("FltMgr", 2, 0, "FSFilter Infrastructure")
KEYS += service("FileInfo", 2, 0, "FSFilter Bottom", depends=["FltMgr"],
                instances=[("FileInfo", "40500")])
KEYS += service("AlphaMon", 2, 0, "FSFilter Activity Monitor", tag=1, depends=["FltMgr"],
                instances=[("AlphaMon Instance", "385101")])
KEYS += service("BetaMon", 2, 0, "FSFilter Activity Monitor", tag=2,
                instances=[("BetaMon Instance", "385202")])
# Type 1 (kernel driver) with instances: still a minifilter.
KEYS += service("GammaMon", 1, 0, "FSFilter Activity Monitor", tag=3, depends=["FltMgr"],
                instances=[("GammaMon Instance", "385303")])
KEYS += service("OldLegacy", 2, 0, "FSFilter Anti-Virus")  # legacy: Type 2, filter group
# Not filters: kernel drivers, a file system, a user-mode service.
KEYS += service("Tcpip", 1, 0, "PNP_TDI")
KEYS += service("Disk", 1, 0, "SCSI Class", tag=1)
KEYS += service("Beep", 1, 1)
KEYS += service("Null", 1, 1)
KEYS += service("Ntfs", 2, 3, "Boot File System")
KEYS += [(CS + "\\Services\\Dhcp", [("Type", dword(0x20)), ("Start", dword(2)),
                                     ("ImagePath", expand("%SystemRoot%\\system32\\svchost.exe"))])]
# Another control set that Select\Current does not name: must not be imported.
KEYS += [(P + "\\ControlSet002\\Services\\StaleFlt",
          [("Type", dword(2)), ("Start", dword(0)), ("Group", sz("FSFilter Activity Monitor"))]),
         (P + "\\ControlSet002\\Services\\StaleFlt\\Instances",
          [("DefaultInstance", sz("StaleFlt Instance"))]),
         (P + "\\ControlSet002\\Services\\StaleFlt\\Instances\\StaleFlt Instance",
          [("Altitude", sz("385404"))])]


def with_parents(keys):
    """Every key preceded by its ancestors (as `reg export` writes them; hivexregedit needs
    parents to exist), each once."""
    seen, out = set(), []
    for path, vals in keys:
        parts = path.split("\\")
        for i in range(3, len(parts)):
            parent = "\\".join(parts[:i])
            if parent.lower() not in seen:
                seen.add(parent.lower())
                out.append((parent, []))
        if path.lower() not in seen:
            seen.add(path.lower())
            out.append((path, vals))
    return out


def reg_text(keys):
    out = ["Windows Registry Editor Version 5.00", ""]
    for path, vals in with_parents(keys):
        out.append("[" + path + "]")
        for name, data in vals:
            out.append(sz(name) + "=" + data)
        out.append("")
    return "\n".join(out) + "\n"


def main():
    text = reg_text(KEYS)
    with open(os.path.join(HERE, "system_small.reg"), "wb") as f:
        f.write(b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"))
    hive = os.path.join(HERE, "system_small.hiv")
    with tempfile.TemporaryDirectory() as tmp:
        utf8 = os.path.join(tmp, "system_small.utf8.reg")
        with open(utf8, "w", encoding="utf-8") as f:
            f.write(text)
        subprocess.run([sys.executable, os.path.join(HERE, "make_empty_hive.py"), hive], check=True)
        subprocess.run(["hivexregedit", "--merge", "--prefix", P, hive, utf8], check=True)


if __name__ == "__main__":
    main()
