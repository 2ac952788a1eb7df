#!/usr/bin/env bash
# "Nothing changes but the time" (docs/performance.md#fleet-cpu): runs two fltsim binaries on the
# same generated fleet with the same change and compares their JSONL records, their JSON summary
# and their text summary byte for byte. For performance work: build the binary before the change
# first (cp build/…/ui/cli/fltsim /tmp/fltsim-before), then compare it with the new one.
#
# Usage: scripts/fleet-identity.sh OLD_FLTSIM NEW_FLTSIM [MACHINES]   (default 100000)
# Environment: TMPDIR for the generated fleet and the outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 2 ]] || { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
old=$1 new=$2 n=${3:-100000}
add=tests/fleet/fixtures/contoso_av_329100.yaml
dir=$(mktemp -d "${TMPDIR:-/tmp}/fltsim-fleet-identity.XXXXXX")
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 scripts/gen-fleet.py "$n" --seed 1 --bad-every 997 >"$dir/fleet.jsonl"
for side in old new; do
  bin=${!side}
  for jobs in 1 2; do
    "$bin" fleet "$dir/fleet.jsonl" --add "$add" --jobs "$jobs" --format jsonl --no-progress \
      --summary "$dir/$side-$jobs-summary.json" >"$dir/$side-$jobs.jsonl" \
      2>"$dir/$side-$jobs.err" || [[ $? == 1 ]]
  done
  "$bin" fleet "$dir/fleet.jsonl" --add "$add" --format text --no-progress \
    >"$dir/$side-text.txt" 2>&1 || [[ $? == 1 ]]
done
status=0
for f in 1.jsonl 1-summary.json 1.err 2.jsonl 2-summary.json 2.err text.txt; do
  if cmp -s "$dir/old-$f" "$dir/new-$f"; then
    echo "same: $f ($(wc -c <"$dir/new-$f") bytes)"
  else
    echo "DIFFERENT: $f"
    status=1
  fi
done
exit $status
