#!/usr/bin/env python3
"""ctest fleet_dask: scripts/fleet_dask.py on a LocalCluster of 2 workers gives the records and
the summary of one `fltsim fleet` process, also when a worker is killed mid-run (Dask runs its
partition again; nothing is counted twice).

Usage: tests/fleet/dask_test.py FLTSIM SOURCE_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile


def main():
    fltsim, root = sys.argv[1], sys.argv[2]
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("fleet_dask: python3-distributed is not installed (scripts/install-deps.sh test)")
        return 1
    add = os.path.join(root, "tests/fleet/fixtures/contoso_av_329100.yaml")
    with tempfile.TemporaryDirectory(prefix="fltsim-dask-test-") as tmp:
        fleet = os.path.join(tmp, "fleet.jsonl")
        with open(fleet, "w") as f:
            subprocess.run([sys.executable, os.path.join(root, "scripts/gen-fleet.py"), "2400",
                            "--seed", "9", "--bad-every", "250"], stdout=f, check=True)
        single_records = os.path.join(tmp, "single.jsonl")
        single_summary = os.path.join(tmp, "single.json")
        with open(single_records, "wb") as out:
            p = subprocess.run([fltsim, "fleet", fleet, "--add", add, "--format", "jsonl",
                                "--summary", single_summary], stdout=out,
                               stderr=subprocess.DEVNULL)
        assert p.returncode == 1, p.returncode
        expected_records = open(single_records, "rb").read()
        expected = json.load(open(single_summary))
        assert expected["machines"] == 2400
        assert expected["outcomes"]["input-error"] == 2400 // 250
        for kill in ("0", "2"):
            env = dict(os.environ, FLTSIM_DASK_KILL_AFTER=kill)
            records = os.path.join(tmp, f"dask-{kill}.jsonl")
            summary = os.path.join(tmp, f"dask-{kill}.json")
            p = subprocess.run([sys.executable, os.path.join(root, "scripts/fleet_dask.py"),
                                fltsim, fleet, "--add", add, "--workers", "2",
                                "--partition-lines", "200", "--records", records,
                                "--summary", summary, "--format", "json"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            err = p.stderr.decode(errors="replace")
            assert p.returncode == 1, (p.returncode, err[-3000:])
            if kill != "0":
                assert "killed worker process" in err, err[-3000:]
            got = json.load(open(summary))
            assert got == expected, f"kill={kill}: summary differs"
            assert open(records, "rb").read() == expected_records, f"kill={kill}: records differ"
            print(f"fleet_dask: kill_after={kill}: {got['machines']} machines, same as one process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
