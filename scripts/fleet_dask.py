#!/usr/bin/env python3
"""Runs `fltsim fleet` over a JSONL fleet on a Dask distributed cluster (docs/fleet.md#dask).

The JSONL file is cut into partitions of whole lines (byte ranges); each partition is one task:
a worker pipes its lines through `fltsim fleet - --format jsonl --summary S` and returns the
records and the partial summary. The client writes the records in input order and merges the
summaries with `fltsim fleet --merge` (the summary is a mergeable reduce: merging the partitions'
summaries gives the summary of one run). A task whose worker dies is run again by Dask on another
worker; the client keeps exactly one result per partition, so nothing is counted twice.

Workers read the partitions from the same path, so the file must be on storage every worker sees
(a shared file system, or the client's machine for a LocalCluster).

Usage:
  scripts/fleet_dask.py FLTSIM FLEET.jsonl [--add M]... [--remove N]... [--baseline ID]...
      [--scheduler ADDR | --workers N] [--threads-per-worker T] [--partition-lines L]
      [--records OUT.jsonl] [--summary OUT.json] [--format text|json|html]
  FLTSIM   the fltsim binary (same path on every worker)
  --workers N   start a LocalCluster of N worker processes (default 2) instead of --scheduler
  --jobs J      --jobs given to each fltsim (default 1: Dask supplies the parallelism)
Exit code: that of `fltsim fleet --merge` (0 clean, 1 problems found, 2 input error).

Test hook (tests/fleet/dask_test.py): FLTSIM_DASK_KILL_AFTER=K kills one worker process with
SIGKILL once K partitions are done.
"""
import argparse
import os
import signal
import subprocess
import sys
import tempfile


def partitions(path, lines_per_part):
    """(start byte, end byte, lines before it) of `lines_per_part` whole lines each."""
    parts, start, n, before = [], 0, 0, 0
    with open(path, "rb") as f:
        pos = 0
        for line in f:
            pos += len(line)
            n += 1
            if n == lines_per_part:
                parts.append((start, pos, before))
                start, n, before = pos, 0, before + n
        if pos > start:
            parts.append((start, pos, before))
    return parts


def run_partition(fltsim, path, start, end, before, name, options, want_records):
    """One task: the partition's lines through fltsim; (records, summary JSON text)."""
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    fd, summary = tempfile.mkstemp(prefix="fltsim-fleet-", suffix=".json")
    os.close(fd)
    try:
        # Records and diagnostics name the fleet file and its line numbers, not the pipe.
        cmd = [fltsim, "fleet", "-", "--format", "jsonl", "--summary", summary, "--no-progress",
               "--stdin-name", name, "--line-offset", str(before)] + options
        p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode not in (0, 1):
            raise RuntimeError(f"fltsim fleet failed ({p.returncode}): {p.stderr.decode()[:2000]}")
        with open(summary, encoding="utf-8") as s:
            text = s.read()
        return (p.stdout if want_records else b""), text, p.stderr
    finally:
        os.unlink(summary)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("fltsim")
    ap.add_argument("fleet")
    ap.add_argument("--add", action="append", default=[])
    ap.add_argument("--remove", action="append", default=[])
    ap.add_argument("--baseline", action="append", default=[])
    ap.add_argument("--scheduler")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads-per-worker", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--partition-lines", type=int, default=20000)
    ap.add_argument("--records")
    ap.add_argument("--summary")
    ap.add_argument("--format", default="text", choices=["text", "json", "html"])
    a = ap.parse_args()

    from dask.distributed import Client, LocalCluster, as_completed

    fltsim = os.path.abspath(a.fltsim)
    path = os.path.abspath(a.fleet)
    options = ["--jobs", str(a.jobs)]
    for m in a.add:
        options += ["--add", os.path.abspath(m)]
    for r in a.remove:
        options += ["--remove", r]
    for b in a.baseline:
        options += ["--baseline", b]

    cluster = None
    if a.scheduler:
        client = Client(a.scheduler)
    else:
        cluster = LocalCluster(n_workers=a.workers, threads_per_worker=a.threads_per_worker,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    kill_after = int(os.environ.get("FLTSIM_DASK_KILL_AFTER", "0"))
    try:
        parts = partitions(path, a.partition_lines)
        want = a.records is not None
        futures = [client.submit(run_partition, fltsim, path, s, e, before, a.fleet, options,
                                 want, key=f"fltsim-fleet-{i}-{s}-{e}", pure=False)
                   for i, (s, e, before) in enumerate(parts)]
        index = {f.key: i for i, f in enumerate(futures)}
        results = {}
        records = open(a.records + ".tmp", "wb") if want else None
        next_out = 0
        killed = False
        for fut in as_completed(futures):
            i = index[fut.key]
            if i in results:  # one result per partition, whatever happened to its workers
                continue
            rec, summary, err = fut.result()
            results[i] = (rec, summary)
            sys.stderr.write(err.decode(errors="replace"))
            fut.release()
            while records and next_out in results:
                records.write(results[next_out][0])
                results[next_out] = (b"", results[next_out][1])
                next_out += 1
            if kill_after and not killed and len(results) >= kill_after:
                pids = client.run(os.getpid)
                victim = sorted(pids.items())[0][1]
                os.kill(victim, signal.SIGKILL)
                killed = True
                sys.stderr.write(f"fleet_dask: killed worker process {victim}\n")
        if records:
            records.close()
            os.replace(a.records + ".tmp", a.records)
        with tempfile.TemporaryDirectory(prefix="fltsim-fleet-") as tmp:
            files = []
            for i in range(len(parts)):
                f = os.path.join(tmp, f"part-{i:06d}.json")
                with open(f, "w", encoding="utf-8") as out:
                    out.write(results[i][1])
                files.append(f)
            cmd = [fltsim, "fleet", "--format", a.format, "--merge"] + files
            if a.summary:
                cmd += ["--summary", a.summary]
            p = subprocess.run(cmd)
            return p.returncode
    finally:
        client.close()
        if cluster:
            cluster.close()


if __name__ == "__main__":
    sys.exit(main())
