#!/usr/bin/env python3
"""`fltsim diagnose` on the real SYSTEM hives of tests/corpus/machine/real/ (xz-compressed): the
Windows each one is (tests/corpus/README.md, "Windows (from the hive)") against the build guess.

None of them is a build a bundled baseline stands for (data/baselines/: 1809, 22H2, 11 22H2/23H2,
11 24H2, Server 2019/2022/2025):
  * Windows 7 SP1 and 8.1: no baseline fits (unknown);
  * Windows 10 (SYSTEM_B: 10.0.16299, SYSTEM_WIN_10_1709: 10.0.18362 upgraded through 1703 and
    1803, by Setup\BuildUpdate\SourceOSVersion): a Windows 10 baseline, with the differences from
    it listed. windows-10-1809 takes its service keys from these two hives, on either side of
    17763, and 18362's filters equal them, so an exact match to 1809 is the right reading of
    18362's filters (the filters do not tell 1809 from 1903); 16299 lacks bindflt and is near.
The damaged hive is an unreadable input (exit 2).

Usage: real_hives_test.py FLTSIM SOURCE_ROOT
"""
import json
import lzma
import os
import subprocess
import sys
import tempfile

EXPECT = {
    "01-regipy-SYSTEM": None,       # Windows 7 SP1
    "02-regipy-SYSTEM_2": None,     # Windows 8.1
    "03-regipy-SYSTEM_B": "win10",  # Windows 10 1709 (10.0.16299)
    "04-regipy-SYSTEM_WIN_10_1709": "win10",  # Windows 10 1903 (10.0.18362; despite its name)
    "90-regipy-corrupted_system_hive": "unreadable",
}


def main():
    fltsim, root = sys.argv[1:3]
    real = os.path.join(root, "tests", "corpus", "machine", "real")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, want in EXPECT.items():
            hive = os.path.join(tmp, name)
            with lzma.open(os.path.join(real, name + ".xz")) as src, open(hive, "wb") as dst:
                dst.write(src.read())
            r = subprocess.run([fltsim, "diagnose", "--format", "json", hive],
                               capture_output=True, text=True)
            if want == "unreadable":
                ok = r.returncode == 2 and "hive-unreadable" in r.stderr
                got = f"exit {r.returncode}"
            elif r.returncode not in (0, 1):
                ok, got = False, f"exit {r.returncode}: {r.stderr}"
            else:
                w = json.loads(r.stdout)["windows"]
                got = f"{w['baseline']} ({w['confidence']}, exact {w['exact']})"
                if want is None:
                    ok = w["baseline"] is None and w["confidence"] == "unknown"
                else:
                    base = json.loads(r.stdout)["baseline"]
                    # Differences from a nearest baseline are informative (no finding); from an
                    # exact match they are findings.
                    # An unmodified Windows 10 is nothing to look at: every Microsoft filter on
                    # it is known (inbox, with its exceptions, or allocated to Microsoft).
                    ok = (w["baseline"] in ("windows-10-1809", "windows-10-22h2") and
                          base is not None and base["informative"] == (not w["exact"]) and
                          r.returncode == 0 and not json.loads(r.stdout)["needs_attention"])
            print(("ok  " if ok else "FAIL"), name, "->", got)
            failures += 0 if ok else 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
