#!/usr/bin/python3
"""Independent expectation of `fltsim import HIVE` for a real SYSTEM hive.

Reads the hive with python3-hivex (Debian: python3-hivex; run with /usr/bin/python3) and applies
the documented rules of docs/model.md, coded here from the text and not from fltsim's sources:

  * the control set (docs/model.md#machine-import): Select\\Current names ControlSetNNN; a
    Current of 0 (a setup copy such as system.sav) -> Select\\Default if that set exists, else
    ControlSet001;
  * the kind of each service (docs/model.md#kind-evidence, rules K1-K8);
  * the filters' fields, Control\\ServiceGroupOrder\\List and Control\\GroupOrderList tag vectors
    of the imported filters' groups.

Usage: expect.py HIVE [OUT.json]      (OUT defaults to HIVE.expected.json; "-" = stdout)
The JSON is compared with what `fltsim import` writes by tests/machine/real_hives_test.py.
"""
import json
import re
import struct
import sys

START_NAMES = {0: "boot", 1: "system", 2: "auto", 3: "demand", 4: "disabled"}
ALTITUDE = re.compile(r"^(\d+\.?\d*|\.\d+)$")  # docs/model.md#a1: digits, at most one point


def utf16(data):
    if len(data) % 2:
        data = data[:-1]
    return data.decode("utf-16le", "replace")


class Hive:
    def __init__(self, path):
        import hivex
        self.h = hivex.Hivex(path)

    def child(self, node, name):
        if node is None:
            return None
        for c in self.h.node_children(node):
            if self.h.node_name(c).lower() == name.lower():
                return c
        return None

    def path(self, node, *names):
        for n in names:
            node = self.child(node, n)
        return node

    def children(self, node):
        if node is None:
            return []
        return [(self.h.node_name(c), c) for c in self.h.node_children(node)]

    def raw(self, node, name):
        if node is None:
            return None
        for v in self.h.node_values(node):
            if self.h.value_key(v).lower() == name.lower():
                return self.h.value_value(v)  # (type, bytes)
        return None

    def dword(self, node, name):
        r = self.raw(node, name)
        if r is None or r[0] != 4 or len(r[1]) != 4:
            return None
        return struct.unpack("<I", r[1])[0]

    def string(self, node, name):
        r = self.raw(node, name)
        if r is None:
            return None
        t, data = r
        if t in (1, 2):
            s = utf16(data)
            return s.split("\0", 1)[0]
        if t == 7:
            items = [x for x in utf16(data).split("\0") if x]
            return items[0] if len(items) == 1 else ("" if not items else None)
        return None

    def strings(self, node, name):
        r = self.raw(node, name)
        if r is None:
            return []
        t, data = r
        if t == 7:
            return [x for x in utf16(data).split("\0") if x]
        if t in (1, 2):
            s = utf16(data).split("\0", 1)[0]
            return [s] if s else []
        return []


def is_fsfilter_group(g):
    lg = g.lower()
    return lg.startswith("fsfilter") and len(lg) > len("fsfilter")


def decide(ev):
    """docs/model.md#kind-evidence: (kind, reason). kind is minifilter, legacy or None."""
    if ev["name"].lower() == "fltmgr":
        return None, "filter-manager"                      # K1
    if ev["type"] is None or ev["start"] is None:
        return None, "leftover"                            # K2
    if ev["type"] not in (1, 2):
        return None, "not-a-driver"                        # K3
    if ev["altitudes"] > 0:
        return "minifilter", "instances"                   # K4
    g = ev["group"] or ""
    if g.lower() in ("file system", "boot file system"):
        return None, "file-system"                         # K5
    if is_fsfilter_group(g) or (g.lower() == "filter" and ev["type"] == 2):
        return "legacy", "filter-group"                    # K6
    if ev["fltmgr"] or ev["instances_key"]:
        return None, "no-instance-altitude"                # K7
    return None, "no-evidence"                             # K8


def build(path):
    hv = Hive(path)
    root = hv.h.root()
    out = {"hive": path.rsplit("/", 1)[-1]}
    with open(path, "rb") as f:
        hdr = f.read(12)
    seq1, seq2 = struct.unpack_from("<II", hdr, 4)
    out["dirty"] = seq1 != seq2
    sel = hv.child(root, "Select")
    cur = hv.dword(sel, "Current")
    sets = sorted(n for n, _ in hv.children(root) if re.match(r"(?i)controlset\d{3}$", n))
    if cur is not None and cur != 0:
        cs = "ControlSet%03d" % cur
    elif cur == 0:
        d = hv.dword(sel, "Default")
        cs = "ControlSet%03d" % d if d and hv.child(root, "ControlSet%03d" % d) else "ControlSet001"
    elif len(sets) == 1:
        cs = sets[0]
    else:
        cs = None
    out["control_set"] = cs
    csn = hv.child(root, cs)
    services = hv.child(csn, "Services")
    filters, left_out = [], {}
    for name, node in sorted(hv.children(services), key=lambda x: x[0].lower()):
        inst_root = hv.child(node, "Instances")
        if inst_root is None:
            inst_root = hv.path(node, "Parameters", "Instances")
        instances = []
        for iname, inode in hv.children(inst_root):
            alt = hv.string(inode, "Altitude")
            if alt is None or not ALTITUDE.match(alt):
                continue
            instances.append({"name": iname, "altitude": alt,
                              "flags": hv.dword(inode, "Flags") or 0})
        deps = hv.strings(node, "DependOnService")
        group = hv.string(node, "Group")
        ev = {"name": name, "type": hv.dword(node, "Type"), "start": hv.dword(node, "Start"),
              "group": group or None, "altitudes": len(instances),
              "instances_key": inst_root is not None,
              "fltmgr": any(d.lower() == "fltmgr" for d in deps)}
        kind, reason = decide(ev)
        if kind is None:
            if reason not in ("not-a-driver", "no-evidence", "filter-manager"):
                left_out[name] = reason
            continue
        e = {"name": name, "kind": kind, "group": group or None,
             "start": START_NAMES.get(ev["start"]), "tag": hv.dword(node, "Tag"),
             "depends_on": deps}
        if kind == "minifilter":
            e["instances"] = sorted(instances, key=lambda i: i["name"].lower())
            di = hv.string(inst_root, "DefaultInstance")
            for i in instances:  # the registry compares names case-insensitively
                if di is not None and i["name"].lower() == di.lower():
                    di = i["name"]
            e["default_instance"] = di
        filters.append(e)
    out["filters"] = filters
    out["left_out_with_evidence"] = left_out
    control = hv.child(csn, "Control")
    sgo = hv.child(control, "ServiceGroupOrder")
    out["service_group_order"] = hv.strings(sgo, "List") if hv.raw(sgo, "List") else None
    used = {f["group"].lower() for f in filters if f["group"]}
    gol = {}
    for v in hv.h.node_values(hv.child(control, "GroupOrderList")) if hv.child(control, "GroupOrderList") else []:
        n = hv.h.value_key(v)
        if n.lower() not in used:
            continue
        t, data = hv.h.value_value(v)
        if len(data) < 4:
            continue
        count = struct.unpack_from("<I", data)[0]
        count = min(count, (len(data) - 4) // 4)
        gol[n] = list(struct.unpack_from("<%dI" % count, data, 4))
    out["group_order_list"] = gol
    return out


def main(argv):
    res = build(argv[1])
    text = json.dumps(res, indent=1, sort_keys=True) + "\n"
    dest = argv[2] if len(argv) > 2 else argv[1] + ".expected.json"
    if dest == "-":
        sys.stdout.write(text)
    else:
        with open(dest, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
