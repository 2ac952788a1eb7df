#!/usr/bin/env bash
# Runs a configure or build command with its output in a log file, showing one progress line
# instead: "label: 42%" updated in place on a terminal, a start and an end line elsewhere. When
# the command fails, the log's error lines (or its tail) are shown and its exit code returned.
# Usage: scripts/quiet-build.sh LOG LABEL COMMAND [ARGS...]
set -uo pipefail
log=${1:?usage: quiet-build.sh LOG LABEL COMMAND...}
label=${2:?usage: quiet-build.sh LOG LABEL COMMAND...}
shift 2
mkdir -p "$(dirname "$log")"
: >"$log"
tty=0
[[ -t 2 ]] && tty=1
started=$SECONDS
[[ $tty == 1 ]] || echo "$label: started" >&2
"$@" 2>&1 | tee -a "$log" | while IFS= read -r line; do
  # CMake's Makefile generator prints "[ 42%] Building ..."; Ninja prints "[12/80] ...".
  if [[ $tty == 1 && $line =~ ^\[\ *([0-9]+)%\] ]]; then
    printf '\r%s: %3d%%' "$label" "${BASH_REMATCH[1]}" >&2
  elif [[ $tty == 1 && $line =~ ^\[([0-9]+)/([0-9]+)\] ]]; then
    printf '\r%s: %3d%%' "$label" $((100 * BASH_REMATCH[1] / BASH_REMATCH[2])) >&2
  fi
done
code=${PIPESTATUS[0]}
[[ $tty == 1 ]] && printf '\r\033[K' >&2
if [[ $code -ne 0 ]]; then
  echo "$label: FAILED (exit $code); the errors (full output in $log):" >&2
  if grep -qE 'error|Error' "$log"; then
    grep -E -A3 'error|Error' "$log" | head -60 >&2
  else
    tail -40 "$log" >&2
  fi
  exit "$code"
fi
echo "$label: done in $((SECONDS - started)) s" >&2
