#!/usr/bin/env bash
# Runs libFuzzer harnesses built in BUILD (see fuzz/CMakeLists.txt): first replays the committed
# crash reproducers (tests/bad_input/fuzz_regressions/<harness>/), then fuzzes each harness for
# SECONDS from the seeds (fuzz/seed-corpus.sh) plus the corpus kept in CORPUS_ROOT/<harness>.
# Any crash, sanitizer report, leak, timeout (> 10 s per input) or out-of-memory (> 2 GiB) fails.
# Findings are saved under BUILD/fuzz-artifacts/<harness>/. One summary line per harness goes to
# stdout and is appended to BUILD/fuzz-stats.tsv (date, harness, seconds, execs, cov, ft, corpus).
# Usage: fuzz/run.sh BUILD SECONDS CORPUS_ROOT [HARNESS...]   (default: every harness)
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1
seconds=$2
corpus_root=$3
shift 3
if [[ $# -gt 0 ]]; then
  harnesses=("$@")
else
  mapfile -t harnesses <"$build/fuzz/harnesses.txt"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stats="$build/fuzz-stats.tsv"
[[ -e "$stats" ]] || printf 'date\tharness\tseconds\texecs\tcov\tft\tcorpus\n' >"$stats"

status=0
for h in "${harnesses[@]}"; do
  bin="$build/fuzz/$h"
  [[ -x "$bin" ]] || { echo "fuzz: $bin not built" >&2; exit 2; }
  artifacts="$build/fuzz-artifacts/$h"
  mkdir -p "$artifacts" "$corpus_root/$h"
  fuzz/seed-corpus.sh "$h" "$work/seeds-$h"
  shopt -s nullglob
  regressions=(tests/bad_input/fuzz_regressions/"$h"/*)
  shopt -u nullglob
  if [[ ${#regressions[@]} -gt 0 ]]; then
    if ! "$bin" -timeout=10 -rss_limit_mb=2048 "${regressions[@]}" >"$work/$h-replay.log" 2>&1; then
      echo "fuzz: $h fails on a committed crash reproducer:" >&2
      tail -40 "$work/$h-replay.log" >&2
      status=1
      continue
    fi
  fi
  dict=()
  [[ -f "fuzz/dict/$h.dict" ]] && dict=(-dict="fuzz/dict/$h.dict")
  log="$build/fuzz-artifacts/$h.log"
  set +e
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" \
    "$corpus_root/$h" "$work/seeds-$h" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  done_line=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE) +cov:' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done_line")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$done_line")
  corpus=$(find "$corpus_root/$h" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$h" "$seconds" "${execs:-?}" \
    "${cov:-?}" "${ft:-?}" "$corpus" >>"$stats"
  if [[ $rc -ne 0 ]]; then
    echo "fuzz: $h FAILED (exit $rc) after ${execs:-?} execs; log $log, input saved in $artifacts/:" >&2
    grep -E 'ERROR|SUMMARY|invariant|Test unit written|timeout|out-of-memory' "$log" | head -20 >&2
    status=1
  else
    printf 'fuzz: %-20s %4s s  %9s execs  cov %5s  ft %6s  corpus %5s\n' "$h" "$seconds" \
      "${execs:-?}" "${cov:-?}" "${ft:-?}" "$corpus"
  fi
done
exit $status
