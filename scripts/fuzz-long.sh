#!/usr/bin/env bash
# Longer libFuzzer runs (docs/reliability.md). Same build, harnesses and checks as the
# short runs of `./test.sh --full` (scripts/test-fuzz.sh), but the corpus is kept between runs
# (BUILD/corpus/<harness>), so repeated runs add up. Stats per run are appended to
# BUILD/fuzz-stats.tsv.
#
#   scripts/fuzz-long.sh                         # every harness, 10 minutes each
#   FLTSIM_FUZZ_SECONDS=3600 scripts/fuzz-long.sh fuzz_inf fuzz_reg
#   FLTSIM_FUZZ_BUILD_DIR=build-fuzz scripts/fuzz-long.sh
#
# A finding is saved as BUILD/fuzz-artifacts/<harness>/crash-*, timeout-* or oom-*; reproduce it
# with `BUILD/fuzz/<harness> FILE`, minimise with `-minimize_crash=1 -runs=10000 FILE`, then add
# it to tests/bad_input/fuzz_regressions/<harness>/ with a test in tests/bad_input/.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${FLTSIM_FUZZ_BUILD_DIR:-build/fuzz}
FLTSIM_FUZZ_BUILD_DIR=$build FLTSIM_FUZZ_SECONDS=${FLTSIM_FUZZ_SECONDS:-600} \
  FLTSIM_FUZZ_CORPUS="$build/corpus" FLTSIM_FUZZ_HARNESSES="$*" exec scripts/test-fuzz.sh
