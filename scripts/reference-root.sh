#!/usr/bin/env bash
# Prints the directory of the shared reference data that tests, fuzz seeds and the SARIF check
# read (fltmgr-rules.md, inf/, fltmc/, registry/): $FLTSIM_REFERENCE_ROOT if set; else
# ../shared/reference next to this checkout; else, for a clone of a local checkout
# (`git clone /work/main "$(mktemp -d)"`), the one next to that origin. Exit 2 if there is none.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${FLTSIM_REFERENCE_ROOT:-}" ]]; then
  echo "$FLTSIM_REFERENCE_ROOT"
  exit 0
fi
origin=$(git remote get-url origin 2>/dev/null || true)
candidates=(../shared/reference)
[[ -n "$origin" && -d "$origin" ]] && candidates+=("$origin/../shared/reference")
for c in "${candidates[@]}"; do
  if [[ -d "$c/inf" ]]; then
    (cd "$c" && pwd)
    exit 0
  fi
done
echo "reference-root: no reference data (../shared/reference next to the checkout or its local" \
  "origin); set FLTSIM_REFERENCE_ROOT" >&2
exit 2
