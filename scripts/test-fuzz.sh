#!/usr/bin/env bash
# Short libFuzzer runs of every harness, part of `./test.sh --full`.
# Builds the harnesses with clang in a build directory of their own (the main build uses g++),
# replays the committed crash reproducers, then fuzzes each harness for FLTSIM_FUZZ_SECONDS
# (default 20) from its seeds. Fails on any crash, sanitizer report, leak, timeout or OOM.
# Longer runs: scripts/fuzz-long.sh.
# Usage: scripts/test-fuzz.sh [MAIN_BUILD_DIR]   (the argument is accepted and unused)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${FLTSIM_FUZZ_BUILD_DIR:-build/fuzz}
seconds=${FLTSIM_FUZZ_SECONDS:-20}
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFLTSIM_BUILD_FUZZ=ON -DFLTSIM_BUILD_TESTS=OFF -DFLTSIM_BUILD_VIEWER=OFF \
  -DFLTSIM_WARNINGS_AS_ERRORS=ON >/dev/null
start=$SECONDS
cmake --build "$build" -j "$(nproc)" --target fuzzers
echo "test-fuzz: harnesses built in $((SECONDS - start)) s"
if [[ -n "${FLTSIM_FUZZ_CORPUS:-}" ]]; then
  corpus=$FLTSIM_FUZZ_CORPUS # kept between runs (scripts/fuzz-long.sh)
else
  # A fresh corpus each time: CI results do not depend on earlier runs.
  corpus=$(mktemp -d)
  trap 'rm -rf "$corpus"' EXIT
fi
# FLTSIM_FUZZ_HARNESSES: a space-separated subset (default: every harness).
# shellcheck disable=SC2086
fuzz/run.sh "$build" "$seconds" "$corpus" ${FLTSIM_FUZZ_HARNESSES:-}
