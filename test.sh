#!/usr/bin/env bash
# Installs what is missing, builds everything with tests, and runs every test.
# FLTSIM_QUICK=1 skips the sanitizer build and the short fuzz runs.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh build viewer test fuzz bench
# Tests read ../shared/reference; a clone elsewhere finds it next to its local origin.
FLTSIM_REFERENCE_ROOT=$(scripts/reference-root.sh)
export FLTSIM_REFERENCE_ROOT
jobs=$(nproc)
started=$SECONDS

build=${FLTSIM_BUILD_DIR:-build/test}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLTSIM_BUILD_TESTS=ON \
  -DFLTSIM_WARNINGS_AS_ERRORS=ON >/dev/null
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs"
echo "== build and ctest: passed in $((SECONDS - started)) s"

for extra in scripts/test-*.sh; do
  [[ -e "$extra" ]] || continue
  case "$extra" in
    *test-sanitizers.sh|*test-fuzz.sh)
      if [[ "${FLTSIM_QUICK:-0}" == 1 ]]; then echo "== $extra skipped (FLTSIM_QUICK=1)"; continue; fi ;;
  esac
  echo "== $extra"
  started=$SECONDS
  "$extra" "$build"
  echo "== $extra: passed in $((SECONDS - started)) s"
done
echo "test.sh: all tests passed in $SECONDS s"
