#!/usr/bin/env python3
"""Generates a synthetic fleet as JSONL for `fltsim fleet` (docs/fleet.md, bench/fleet.sh).

Every machine has N filters (default 25): the inbox minifilters of a Windows build taken from
data/baselines/*.yaml, then third-party filters drawn from Microsoft's allocated-altitude list
(data/allocated-altitudes.csv) weighted toward the groups real machines carry (anti-virus,
activity monitors, encryption, backup, DLP), with a few legacy filters and tagged/auto-start
drivers. Builds are mixed in a realistic proportion. Deterministic for a given --seed.

Usage: scripts/gen-fleet.py COUNT [--filters N] [--seed S] [--bad-every K] > fleet.jsonl
  --bad-every K   every K-th line is a broken record (tests of the error path)
"""
import argparse
import csv
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BUILDS = [  # (baseline file, build, weight)
    ("windows-10-22h2", "10.0.19045", 45),
    ("windows-11-22h2-23h2", "10.0.22631", 25),
    ("windows-11-24h2", "10.0.26100", 15),
    ("windows-10-1809", "10.0.17763", 5),
    ("windows-server-2019", "10.0.17763", 4),
    ("windows-server-2022", "10.0.20348", 6),
]
GROUP_WEIGHTS = {
    "FSFilter Anti-Virus": 30,
    "FSFilter Activity Monitor": 40,
    "FSFilter Encryption": 8,
    "FSFilter Content Screener": 6,
    "FSFilter Security Enhancer": 6,
    "FSFilter Continuous Backup": 4,
    "FSFilter Replication": 3,
    "FSFilter HSM": 3,
    "FSFilter Virtualization": 3,
    "FSFilter Undelete": 1,
    "FSFilter Copy Protection": 2,
}
GROUPS = list(GROUP_WEIGHTS)
WEIGHTS = [GROUP_WEIGHTS[g] for g in GROUPS]
BUILD_WEIGHTS = [b[2] for b in BUILDS]
LEGACY_GROUPS = ["FSFilter Encryption", "FSFilter Anti-Virus", "FSFilter Activity Monitor",
                 "FSFilter Content Screener"]


def load_baselines():
    try:
        import yaml
    except ImportError:
        yaml = None
    out = {}
    for name, _build, _w in BUILDS:
        path = ROOT / "data" / "baselines" / f"{name}.yaml"
        drivers = []
        if yaml:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            for d in doc.get("drivers", []):
                drivers.append({k: (str(v) if k in ("altitude",) else v) for k, v in d.items()})
        out[name] = drivers
    return out


def load_pool():
    pool = {}
    with open(ROOT / "data" / "allocated-altitudes.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            g = row["group"]
            if g in GROUP_WEIGHTS and row["company"] != "Microsoft":
                name = row["driver"].removesuffix(".sys").removesuffix(".SYS")
                if name and name.replace("_", "").replace("-", "").isalnum():
                    pool.setdefault(g, []).append((name, row["altitude"]))
    return pool


def dumps(x):
    return json.dumps(x, separators=(",", ":"))


def machine_line(i, rnd, base_json, pool, nfilters, bad):
    """One JSONL line, assembled from pre-serialised parts (fast enough for 1M machines)."""
    base, build, _ = rnd.choices(BUILDS, weights=BUILD_WEIGHTS)[0]
    parts, names = list(base_json[base][0]), set(base_json[base][1])
    tries = 0
    while len(parts) < nfilters and tries < 200:
        tries += 1
        g = rnd.choices(GROUPS, weights=WEIGHTS)[0]
        name, alt = rnd.choice(pool[g])
        if name.lower() in names:
            continue
        names.add(name.lower())
        if rnd.random() < 0.02 and g in LEGACY_GROUPS:
            parts.append('{"name":"%s","kind":"legacy","group":"%s","start":"boot"}' % (name, g))
            continue
        start = rnd.choice(("boot", "boot", "system", "auto"))
        tag = ',"tag":%d' % rnd.randint(1, 30) if rnd.random() < 0.2 else ""
        parts.append('{"name":"%s","group":"%s","start":"%s"%s,"altitude":"%s"}'
                     % (name, g, start, tag, alt))
    if bad:
        parts[0] = parts[0].replace('"start":"boot"', '"start":"sometimes"', 1)  # invalid value
    host = f"host-{i:07d}"
    return ('{"machine":"%s","build":"%s","scenario":{"scenario":"%s","drivers":[%s]}}\n'
            % (host, build, host, ",".join(parts)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("count", type=int)
    ap.add_argument("--filters", type=int, default=25)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bad-every", type=int, default=0)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    baselines, pool = load_baselines(), load_pool()
    base_json = {b: ([dumps(d) for d in ds], [d["name"].lower() for d in ds])
                 for b, ds in baselines.items()}
    out = sys.stdout
    buf = []
    for i in range(a.count):
        bad = a.bad_every and i % a.bad_every == a.bad_every - 1
        buf.append(machine_line(i, rnd, base_json, pool, a.filters, bad))
        if len(buf) == 10000:
            out.write("".join(buf))
            buf = []
    out.write("".join(buf))


if __name__ == "__main__":
    main()
