#!/usr/bin/env bash
# Benchmark of `fltsim fleet` (docs/performance.md#fleet): machines per second and peak memory
# (max RSS) over generated JSONL fleets of 10k, 100k and 1M machines (scripts/gen-fleet.py: 25
# filters each, the inbox set of a mixed Windows build plus third-party filters drawn from the
# allocated-altitude list), with --jobs 1 and --jobs 2; and the Dask run (scripts/fleet_dask.py,
# a LocalCluster of 2 single-threaded workers) against the single process on the same 2 cores.
# Not a timed test: results go to docs/performance.md by hand, with the machine's load.
#
# Usage: bench/fleet_bench.sh [FLTSIM] [SIZES...]     (default build/rel/ui/cli/fltsim 10000 100000 1000000)
# Environment: DASK_SIZES (default "100000") sizes also run through Dask; TMPDIR for the files.
set -euo pipefail
cd "$(dirname "$0")/.."
fltsim=${1:-build/rel/ui/cli/fltsim}
shift || true
sizes=("${@:-10000 100000 1000000}")
read -r -a sizes <<<"${sizes[*]}"
dask_sizes=${DASK_SIZES:-100000}
add=tests/fleet/fixtures/contoso_av_329100.yaml
dir=$(mktemp -d "${TMPDIR:-/tmp}/fltsim-fleet-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
python=/usr/bin/python3
printf '%-9s %-6s %9s %12s %14s %10s\n' machines jobs seconds machines/s per-core/s peak-MiB
for n in "${sizes[@]}"; do
  f="$dir/fleet-$n.jsonl"
  "$python" scripts/gen-fleet.py "$n" --seed 1 >"$f"
  for j in 1 2; do
    /usr/bin/time -f '%e %M' -o "$dir/time" "$fltsim" fleet "$f" --add "$add" --format json \
      --jobs "$j" --no-progress >"$dir/summary-$n.json" || [[ $? == 1 ]]
    read -r secs kib < <(tail -n 1 "$dir/time")
    awk -v n="$n" -v j="$j" -v s="$secs" -v k="$kib" \
      'BEGIN { printf "%-9d %-6d %9.2f %12.0f %14.0f %10.1f\n", n, j, s, n / s, n / s / j, k / 1024 }'
  done
  if [[ " $dask_sizes " == *" $n "* ]]; then
    /usr/bin/time -f '%e %M' -o "$dir/time" "$python" scripts/fleet_dask.py "$fltsim" "$f" \
      --add "$add" --workers 2 --partition-lines 20000 --format json \
      --summary "$dir/dask-$n.json" >/dev/null || [[ $? == 1 ]]
    read -r secs kib < <(tail -n 1 "$dir/time")
    cmp -s <("$python" -c 'import json,sys; print(json.load(open(sys.argv[1])))' "$dir/dask-$n.json") \
      <("$python" -c 'import json,sys; print(json.load(open(sys.argv[1])))' "$dir/summary-$n.json") \
      && same=same || same=DIFFERENT
    awk -v n="$n" -v s="$secs" -v same="$same" \
      'BEGIN { printf "%-9d %-6s %9.2f %12.0f %14s %10s  (summary %s as one process)\n", n, "dask2", s, n / s, "-", "-", same }'
  fi
  rm -f "$f"
done
