#!/usr/bin/env bash
# Builds fltsim Release with the Google Benchmark suite, runs it and prints the scaling table of
# docs/performance.md. Not part of ./test.sh.
#
# Usage: ./bench.sh [--update-docs] [--quick] [--filter REGEX] [--repetitions N]
#   --update-docs    rewrite the table section of docs/performance.md (between the
#                    "bench:begin" and "bench:end" markers) with this run's table
#   --quick          1 repetition, sizes up to 10,000, no memory runs: a smoke test (~1 min)
#   --filter REGEX   only the benchmarks whose name matches (Google Benchmark's filter)
#   --repetitions N  repetitions per benchmark (default 5; the table shows the median)
# Environment: FLTSIM_BENCH_DIR (default build/bench).
set -euo pipefail
cd "$(dirname "$0")"

update_docs=0 quick=0 filter="" reps=5
while [[ $# -gt 0 ]]; do
  case "$1" in
  --update-docs) update_docs=1 ;;
  --quick) quick=1 reps=1 ;;
  --filter) filter="$2"; shift ;;
  --repetitions) reps="$2"; shift ;;
  -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
  *) echo "bench.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done

scripts/install-deps.sh build bench
build=${FLTSIM_BENCH_DIR:-build/bench}
jobs=$(nproc)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DFLTSIM_BUILD_BENCH=ON \
  -DFLTSIM_BUILD_TESTS=OFF -DFLTSIM_BUILD_VIEWER=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target fltsim-bench fltsim-bench-mem fltsim-bench-report fltsim

out="$build/results"
mkdir -p "$out"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet HEAD -- sim manifest planner ui bench 2>/dev/null; then
  commit="$commit (with uncommitted changes)"
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== load average before: $load_before (on $(nproc) CPUs)"

args=(--benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true
  --benchmark_min_time=0.2 --benchmark_out="$out/bench.json" --benchmark_out_format=json)
if [[ -n "$filter" ]]; then
  args+=(--benchmark_filter="$filter")
elif [[ $quick -eq 1 ]]; then
  args+=(--benchmark_filter='/(10|100|1000|10000)(/|$)')
fi
"$build/bench/fltsim-bench" "${args[@]}"

# Peak memory: a fresh process per stage and size (getrusage ru_maxrss).
: >"$out/mem.jsonl"
if [[ $quick -eq 0 && -z "$filter" ]]; then
  mem="$build/bench/fltsim-bench-mem"
  "$mem" baseline /dev/null >>"$out/mem.jsonl"
  for n in 10 100 1000 10000 100000; do
    "$mem" gen "$n" "$out/scenario-$n.yaml"
    # The large sizes run 5 times, alternating, for the fresh-process simulate/parse ratio.
    runs=1
    [[ $n -ge 10000 ]] && runs=5
    for ((i = 0; i < runs; ++i)); do
      for stage in parse simulate; do
        "$mem" "$stage" "$out/scenario-$n.yaml" >>"$out/mem.jsonl"
      done
    done
  done
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== load average after: $load_after"

"$build/bench/fltsim-bench-report" "$out/bench.json" "$out/mem.jsonl" --commit "$commit" \
  --load "$load_before" --load-after "$load_after" >"$out/table.md"
# The fleet against jq on the same 20,000-machine file (docs/performance.md#fleet).
if [[ $quick -eq 0 && -z "$filter" ]]; then
  { echo; echo "### Fleet against jq"; echo; bench/fleet_vs_jq.sh "$build/ui/cli/fltsim" 20000; } \
    >>"$out/table.md"
fi
echo
cat "$out/table.md"

if [[ $update_docs -eq 1 ]]; then
  doc=docs/performance.md
  grep -q '<!-- bench:begin -->' "$doc" && grep -q '<!-- bench:end -->' "$doc" || {
    echo "bench.sh: $doc has no <!-- bench:begin --> / <!-- bench:end --> markers" >&2
    exit 1
  }
  awk -v table="$out/table.md" '
    /<!-- bench:begin -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
    /<!-- bench:end -->/ { skip = 0 }
    !skip { print }' "$doc" >"$doc.tmp"
  mv "$doc.tmp" "$doc"
  echo "== updated $doc"
fi
