#!/usr/bin/python3
"""The import-then-simulate invariant (docs/machine-import.md#invariant): whatever `fltsim import`
accepts with exit 0, `fltsim simulate` of what it wrote exits 0 or 1. Run over every registry
input of the repository: the real hives of tests/corpus/machine/real/ (decompressed) and their
variants, the hives and .reg exports of tests/corpus/machine/ and tests/corpus/registry/, the
damaged hives and bad .reg files of tests/bad_input/, and the .reg fuzz regressions. An import
that refuses (exit 2) must say why on stderr; any other exit code is a failure.
Usage: import_simulates_test.py FLTSIM SOURCE_ROOT
"""
import glob
import lzma
import os
import subprocess
import sys
import tempfile

fltsim, root = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="fltsim-invariant-")
real = os.path.join(root, "tests", "corpus", "machine", "real")
sys.path.insert(0, real)

inputs = []
for xz in sorted(glob.glob(os.path.join(real, "*.xz"))):
    out = os.path.join(tmp, os.path.basename(xz)[:-3])
    with lzma.open(xz) as src, open(out, "wb") as dst:
        dst.write(src.read())
    inputs.append(out)
try:
    import make_variants  # python3-hivex
    make_variants.main(["make_variants", os.path.join(tmp, "01-regipy-SYSTEM"), tmp])
    inputs += sorted(glob.glob(os.path.join(tmp, "01-regipy-SYSTEM-*")))
except ImportError:
    print("python3-hivex missing: the variants are not generated (scripts/install-deps.sh test)")
    sys.exit(1)
for pattern in ("tests/corpus/machine/*.hiv", "tests/corpus/machine/*.reg",
                "tests/corpus/registry/*.reg", "tests/bad_input/hives/*.hiv",
                "tests/bad_input/*.reg", "tests/bad_input/fuzz_regressions/fuzz_reg/*",
                "tests/bad_input/fuzz_regressions/fuzz_hive/*",
                "tests/bad_input/fuzz_regressions/fuzz_reg_export/*"):
    inputs += sorted(glob.glob(os.path.join(root, pattern)))

# A whole-machine .reg export of a real hive, as hivexregedit writes it (Debian
# libwin-hivex-perl): `fltsim check` of it must say nothing about a service `fltsim import` of the
# same file leaves out (docs/model.md#kind-evidence).
export = os.path.join(tmp, "win7-export.reg")
with open(export, "w", encoding="utf-8") as f:
    subprocess.run(["hivexregedit", "--export", "--prefix", "HKEY_LOCAL_MACHINE\\SYSTEM",
                    os.path.join(tmp, "01-regipy-SYSTEM"), "\\"], stdout=f, check=True)
inputs.append(export)

failures, accepted = [], 0


def services_of(reg_path, control_set):
    import re
    text = open(reg_path, encoding="utf-8", errors="replace").read()
    pat = re.compile(r"^\[HKEY_LOCAL_MACHINE\\SYSTEM\\%s\\Services\\([^\\\]]+)\]"
                     % re.escape(control_set), re.I | re.M)
    return {m.group(1) for m in pat.finditer(text)}


def check_says_nothing_about_left_out(name, reg_path, out_yaml, import_stdout):
    import yaml
    import re
    m = re.search(r"from (ControlSet\d{3}|CurrentControlSet)", import_stdout)
    if not m:
        return
    sc = yaml.safe_load(open(out_yaml, encoding="utf-8"))
    imported = {d["name"].lower() for d in sc.get("drivers") or []}
    left_out = {s for s in services_of(reg_path, m.group(1)) if s.lower() not in imported}
    c = subprocess.run([fltsim, "check", reg_path], capture_output=True, text=True, timeout=600)
    said = (c.stdout + c.stderr)
    for s in sorted(left_out):
        if "'%s'" % s in said:
            failures.append("%s: check talks about '%s', which import leaves out" % (name, s))
    return len(left_out)

for f in inputs:
    name = os.path.relpath(f, root) if f.startswith(root) else os.path.basename(f)
    out = os.path.join(tmp, "out.yaml")
    if os.path.exists(out):
        os.remove(out)
    r = subprocess.run([fltsim, "import", f, "-o", out], capture_output=True, text=True,
                       timeout=300)
    if r.returncode == 2:
        if "error" not in r.stderr:
            failures.append("%s: exit 2 without an error on stderr" % name)
        continue
    if r.returncode != 0:
        failures.append("%s: import exit %d: %s" % (name, r.returncode, r.stderr[:300]))
        continue
    accepted += 1
    if f.endswith(".reg") and "machine" in f or f == export:
        check_says_nothing_about_left_out(name, f, out, r.stdout)
    s = subprocess.run([fltsim, "simulate", out, "--format", "json"], capture_output=True,
                       text=True, timeout=300)
    if s.returncode not in (0, 1):
        failures.append("%s: import exit 0, simulate exit %d: %s" % (name, s.returncode,
                                                                      s.stderr[:300]))
for x in failures:
    print(x)
print("import-then-simulate: %d inputs, %d accepted, %d failures" % (len(inputs), accepted,
                                                                     len(failures)))
sys.exit(1 if failures or accepted < 8 else 0)
