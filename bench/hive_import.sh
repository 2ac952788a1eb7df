#!/usr/bin/env bash
# Time and peak memory of `fltsim import` of the largest real SYSTEM hive of the corpus
# (tests/corpus/machine/real/04-regipy-SYSTEM_WIN_10_1709.xz, 15.5 MB, Windows 10 1709), the
# numbers of docs/performance.md "Machine import". Not part of ./test.sh.
# Usage: bench/hive_import.sh PATH/TO/fltsim [RUNS]   (default 5 runs; prints the median)
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${1:?usage: bench/hive_import.sh PATH/TO/fltsim [RUNS]}
runs=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
hive=tests/corpus/machine/real/04-regipy-SYSTEM_WIN_10_1709.xz
xz -dc "$hive" >"$tmp/SYSTEM"
echo "hive: $(stat -c %s "$tmp/SYSTEM") bytes; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$tmp/t$i" "$exe" import "$tmp/SYSTEM" -o "$tmp/out.yaml" >/dev/null
done
sort -n "$tmp"/t* | awk -v n="$runs" '{w[NR]=$1; m[NR]=$2} END {
  i = int((n + 1) / 2); printf "median wall %.2f s, peak RSS %.0f MiB (runs: %d)\n", w[i], m[i] / 1024, n }'
