#!/usr/bin/python3
"""Real SYSTEM hives (tests/corpus/machine/real/, xz-compressed) against their independent
expectations (*.expected.json, written by expect.py with python3-hivex from docs/model.md's rules,
never from fltsim's output).

For each hive and for the variants make_variants.py writes from the Windows 7 hive:
  * `fltsim import HIVE -o X.yaml` exits 0 and X.yaml has exactly the expected filters (kind,
    group, start, tag, dependencies, instances with altitudes and flags, default instance), the
    expected ServiceGroupOrder list and GroupOrderList vectors;
  * the services left out with filter-like evidence (leftovers, AppID, PEAUTH) are named in a note;
  * `fltsim simulate X.yaml` exits 0 or 1 (docs/machine-import.md#invariant);
  * the expectation is not stale: expect.py run now gives the committed JSON.
The noselect variant (two control sets, no Select key) must exit 2 naming both.
Usage: real_hives_test.py FLTSIM SOURCE_ROOT
"""
import json
import lzma
import os
import subprocess
import sys
import tempfile

import yaml

fltsim, root = sys.argv[1], sys.argv[2]
here = os.path.join(root, "tests", "corpus", "machine", "real")
sys.path.insert(0, here)
import expect  # noqa: E402
import make_variants  # noqa: E402

tmp = tempfile.mkdtemp(prefix="fltsim-real-hives-")
failures = []


def fail(name, msg):
    failures.append("%s: %s" % (name, msg))


def run(*args):
    return subprocess.run([fltsim, *args], capture_output=True, text=True, timeout=300)


def norm_instances(lst):
    return sorted(((i["name"].lower(), str(i["altitude"]), int(i.get("flags", 0) or 0))
                   for i in lst or []))


def compare(name, hive, want, notes_must_name=()):
    out = os.path.join(tmp, os.path.basename(hive) + ".yaml")
    r = run("import", hive, "-o", out)
    if r.returncode != 0:
        fail(name, "import exit %d: %s" % (r.returncode, r.stderr[:400]))
        return None
    sc = yaml.safe_load(open(out, encoding="utf-8"))
    got = {d["name"].lower(): d for d in sc.get("drivers") or []}
    exp = {f["name"].lower(): f for f in want["filters"]}
    for n in sorted(set(got) - set(exp)):
        fail(name, "imported %s (%s), which the expectation leaves out" % (n, got[n].get("kind")))
    for n in sorted(set(exp) - set(got)):
        fail(name, "missing %s (%s)" % (n, exp[n]["kind"]))
    for n in sorted(set(exp) & set(got)):
        e, g = exp[n], got[n]
        checks = [("kind", e["kind"], g.get("kind", "minifilter")),
                  ("group", e["group"], g.get("group")),
                  ("start", e["start"], g.get("start")),
                  ("tag", e["tag"], g.get("tag")),
                  ("depends_on", [x.lower() for x in e["depends_on"]],
                   [x.lower() for x in g.get("depends_on") or []])]
        if e["kind"] == "minifilter":
            gi, gdef = g.get("instances"), g.get("default_instance")
            if gi is None and g.get("altitude") is not None:
                # the scenario's one-instance shorthand: instance "<name> Instance", the default
                gdef = g["name"] + " Instance"
                gi = [{"name": gdef, "altitude": g["altitude"], "flags": 0}]
            checks.append(("instances", norm_instances(e["instances"]), norm_instances(gi)))
            checks.append(("default_instance", e["default_instance"], gdef))
        for what, a, b in checks:
            if a != b:
                fail(name, "%s %s: expected %r, got %r" % (n, what, a, b))
    if want["service_group_order"] != sc.get("service_group_order"):
        fail(name, "service_group_order differs")
    gol = {k.lower(): v for k, v in (sc.get("group_order_list") or {}).items()}
    wgol = {k.lower(): v for k, v in want["group_order_list"].items()}
    if gol != wgol:
        fail(name, "group_order_list: expected %r, got %r" % (wgol, gol))
    said = (r.stdout + r.stderr).lower()
    for n in notes_must_name:
        if n.lower() not in said:
            fail(name, "no note names %s" % n)
    s = run("simulate", out, "--format", "json")
    if s.returncode not in (0, 1):
        fail(name, "simulate of the import: exit %d %s" % (s.returncode, s.stderr[:300]))
    return r


hives = sorted(f[:-3] for f in os.listdir(here) if f.endswith(".xz"))
for base in hives:
    hive = os.path.join(tmp, base)
    with lzma.open(os.path.join(here, base + ".xz")) as src, open(hive, "wb") as dst:
        dst.write(src.read())
    exp_path = os.path.join(here, base + ".expected.json")
    if not os.path.exists(exp_path):
        # a damaged hive (no expectation): refused with a located error, exit 2
        r = run("import", hive, "-o", os.path.join(tmp, base + ".yaml"))
        if r.returncode != 2 or "hive-unreadable" not in r.stderr:
            fail(base, "damaged hive: expected exit 2 hive-unreadable, got %d %s"
                 % (r.returncode, r.stderr[:300]))
        continue
    want = json.load(open(exp_path))
    if expect.build(hive) != want:
        fail(base, "expected JSON is stale: rerun expect.py")
    named = [n for n, why in want["left_out_with_evidence"].items()
             if why in ("no-instance-altitude",)]
    compare(base, hive, want, named)

# Variants of the Windows 7 hive.
win7 = os.path.join(tmp, "01-regipy-SYSTEM")
make_variants.main(["make_variants", win7, tmp])
for v in ("sav", "quirks"):
    hive = "%s-%s" % (win7, v)
    want = expect.build(hive)
    r = compare(v, hive, want, ["PROCMON99"] if v == "quirks" else [])
    if r is None:
        continue
    said = r.stdout + r.stderr
    if v == "sav" and "Select\\Current = 0" not in said:
        fail(v, "no note says Select\\Current = 0 was read as ControlSet001: %s" % said[:300])
    if v == "quirks":
        for word in ("dirty", "CaseDef", "NoGroup", "FS Private filters", "EmptyInst"):
            if word not in said:
                fail(v, "no note mentions %s" % word)
r = run("import", win7 + "-noselect", "-o", os.path.join(tmp, "noselect.yaml"))
if r.returncode != 2 or "machine-control-set" not in r.stderr or "--control-set" not in r.stderr:
    fail("noselect", "expected exit 2 machine-control-set, got %d %s" % (r.returncode, r.stderr[:300]))

for f in failures:
    print(f)
print("real hives: %d problems" % len(failures))
sys.exit(1 if failures else 0)
