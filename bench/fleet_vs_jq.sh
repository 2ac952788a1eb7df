#!/usr/bin/env bash
# The fleet's throughput target (docs/performance.md#fleet): the CPU time (user + system) of
# `fltsim fleet FILE --add AV --jobs 1` over the generated 20,000-machine fleet is compared with
# the CPU time of `jq -c .machine FILE`, which only parses the same JSON, in the same run: the
# two alternate, RUNS times each, and the medians are compared (target: fleet / jq <= 0.5). The
# `--jobs 2` run beside it gives the throughput on two cores (wall time, machines per second).
# Run by ./bench.sh; prints a markdown table.
#
# Usage: bench/fleet_vs_jq.sh [FLTSIM] [MACHINES]   (default build/bench/ui/cli/fltsim 20000)
# Environment: RUNS (default 5), TMPDIR for the generated file.
set -euo pipefail
cd "$(dirname "$0")/.."
fltsim=${1:-build/bench/ui/cli/fltsim}
n=${2:-20000}
runs=${RUNS:-5}
command -v jq >/dev/null || { echo "fleet_vs_jq: jq is not installed (apt-get install jq)" >&2; exit 2; }
add=tests/fleet/fixtures/contoso_av_329100.yaml
dir=$(mktemp -d "${TMPDIR:-/tmp}/fltsim-fleet-jq.XXXXXX")
trap 'rm -rf "$dir"' EXIT
f="$dir/fleet-$n.jsonl"
/usr/bin/python3 scripts/gen-fleet.py "$n" --seed 1 >"$f"

# cpu SECONDS_FILE CMD...: runs CMD, appends "user+sys wall" to SECONDS_FILE.
cpu() {
  local out=$1
  shift
  /usr/bin/time -f '%U %S %e' -o "$dir/t" "$@" >/dev/null || [[ $? == 1 ]]
  # GNU time writes "Command exited with non-zero status 1" before the times when fleet finds
  # problems (exit 1): the times are the last line.
  tail -n 1 "$dir/t" | awk '{ printf "%.3f %.3f\n", $1 + $2, $3 }' >>"$out"
}
: >"$dir/jq" && : >"$dir/fleet1" && : >"$dir/fleet2"
for ((i = 0; i < runs; ++i)); do
  cpu "$dir/jq" jq -c .machine "$f"
  cpu "$dir/fleet1" "$fltsim" fleet "$f" --add "$add" --jobs 1 --format json --no-progress
  cpu "$dir/fleet2" "$fltsim" fleet "$f" --add "$add" --jobs 2 --format json --no-progress
done
median() { sort -n -k"$2" "$1" | awk -v k="$2" '{ v[NR] = $k } END { print v[int((NR + 1) / 2)] }'; }
jq_cpu=$(median "$dir/jq" 1)
f1_cpu=$(median "$dir/fleet1" 1)
f1_wall=$(median "$dir/fleet1" 2)
f2_cpu=$(median "$dir/fleet2" 1)
f2_wall=$(median "$dir/fleet2" 2)
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "| run ($n machines, median of $runs, load $load) | CPU s | wall s | machines/s (wall) | CPU µs per machine |"
echo "|---|---:|---:|---:|---:|"
awk -v n="$n" -v c="$jq_cpu" 'BEGIN { printf "| `jq -c .machine` | %.2f | | | %.1f |\n", c, c / n * 1e6 }'
awk -v n="$n" -v c="$f1_cpu" -v w="$f1_wall" \
  'BEGIN { printf "| `fltsim fleet --jobs 1` | %.2f | %.2f | %.0f | %.1f |\n", c, w, n / w, c / n * 1e6 }'
awk -v n="$n" -v c="$f2_cpu" -v w="$f2_wall" \
  'BEGIN { printf "| `fltsim fleet --jobs 2` | %.2f | %.2f | %.0f | %.1f |\n", c, w, n / w, c / n * 1e6 }'
awk -v a="$f1_cpu" -v b="$jq_cpu" 'BEGIN { printf "\n**fleet --jobs 1 CPU / jq CPU: %.2f** (target <= 0.5)\n", a / b }'
