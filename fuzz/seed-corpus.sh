#!/usr/bin/env bash
# Copies the seed inputs of one harness into DIR (created; emptied first). Seeds are taken at run
# time from the repository (scenarios/, tests/corpus/, tests/bad_input/), never committed twice.
# Usage: fuzz/seed-corpus.sh HARNESS DIR
set -euo pipefail
cd "$(dirname "$0")/.."
harness=$1
dir=$2
corpus=tests/corpus
rm -rf "$dir"
mkdir -p "$dir"

copy() { # copy files that exist, flattening paths into unique names
  local f
  for f in "$@"; do
    [[ -f "$f" ]] || continue
    cp "$f" "$dir/$(echo "$f" | tr '/' '_' | sed 's/^[._]*//')"
  done
}
# Writes one seed per line of stdin.
lines() {
  local n=0 line
  while IFS= read -r line; do
    printf '%s' "$line" >"$dir/line-$n"
    n=$((n + 1))
  done
}
regressions=tests/bad_input/fuzz_regressions/$harness
shopt -s nullglob globstar

case "$harness" in
fuzz_scenario_yaml)
  copy scenarios/**/*.yaml tests/bad_input/*.yaml tests/bad_input/*.yml ;;
fuzz_inf)
  copy "$corpus"/inf/*.inf "$corpus"/inf/quirks/*.inf tests/bad_input/*.inf
  # The decoding paths: a code-page byte in front (the harness reads it as the code page), a
  # BOM-less UTF-16 file, and a GBK body re-encoded as UTF-16LE with BOM.
  for f in "$corpus"/inf/quirks/gbk-*.inf "$corpus"/inf/wds-passThrough.inf; do
    [[ -f "$f" ]] || continue
    b=$(basename "$f")
    for k in 0 1 2 3; do { printf "\\x0$k"; cat "$f"; } >"$dir/cp$k-$b"; done
    iconv -f GBK -t UTF-16LE "$f" >"$dir/utf16le-nobom-$b" 2>/dev/null || true
    { printf '\xff\xfe'; iconv -f GBK -t UTF-16LE "$f" 2>/dev/null; } >"$dir/utf16le-$b" || true
  done ;;
fuzz_reg)
  copy "$corpus"/registry/*.reg tests/bad_input/*.reg ;;
fuzz_reg_export)
  copy "$corpus"/machine/*.reg "$corpus"/registry/*.reg tests/bad_input/*.reg ;;
fuzz_hive)
  # Small hives: the fixture, the damaged ones, and parts of the real hives (the filters'
  # service keys and the ordering tables of each, merged into an empty hive with hivexregedit).
  copy "$corpus"/machine/*.hiv tests/bad_input/hives/*.hiv
  if command -v hivexregedit >/dev/null; then
    p='HKEY_LOCAL_MACHINE\SYSTEM'
    for xz in "$corpus"/machine/real/0*.xz; do
      t=$(mktemp -d)
      xz -dc "$xz" >"$t/h"
      python3 "$corpus"/machine/make_empty_hive.py "$t/seed.hiv"
      printf 'Windows Registry Editor Version 5.00\n\n[%s\\Select]\n\n[%s\\ControlSet001]\n\n[%s\\ControlSet001\\Control]\n\n[%s\\ControlSet001\\services]\n\n' "$p" "$p" "$p" "$p" >"$t/a.reg"
      for k in 'Select' 'ControlSet001\Control\ServiceGroupOrder' 'ControlSet001\Control\GroupOrderList' \
        'ControlSet001\services\FltMgr' 'ControlSet001\services\FileInfo' 'ControlSet001\services\luafv' \
        'ControlSet001\services\mfehidk' 'ControlSet001\services\AppID' 'ControlSet001\services\PEAUTH' \
        'ControlSet001\services\WdFilter' 'ControlSet001\services\PROCMON24' 'ControlSet001\services\npsvctrig'; do
        hivexregedit --export --prefix "$p" "$t/h" "\\$k" 2>/dev/null | tail -n +2 >>"$t/a.reg" || true
      done
      hivexregedit --merge --prefix "$p" "$t/seed.hiv" "$t/a.reg" 2>/dev/null &&
        cp "$t/seed.hiv" "$dir/real-$(basename "$xz" .xz).hiv"
      rm -rf "$t"
    done
  fi ;;
fuzz_observed)
  copy "$corpus"/fltmc/[0-9]*.txt "$corpus"/observed/[0-9]*.txt "$corpus"/observed/*.out \
    "$corpus"/observed/*.json "$corpus"/observed/*.csv tests/bad_input/*.txt ;;
fuzz_decode)
  copy "$corpus"/registry/*.reg "$corpus"/fltmc/0[7-9]*.txt tests/bad_input/*.reg \
    tests/bad_input/*.yaml
  # UTF-16 seeds with and without BOM, both byte orders.
  for f in "$corpus"/registry/wimmount-service.reg "$corpus"/fltmc/15-*.txt; do
    [[ -f "$f" ]] || continue
    b=$(basename "$f")
    { printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$f"; } >"$dir/utf16le-$b"
    { printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE "$f"; } >"$dir/utf16be-$b"
    iconv -f UTF-8 -t UTF-16LE "$f" >"$dir/utf16le-nobom-$b"
    { printf '\xef\xbb\xbf'; cat "$f"; } >"$dir/utf8bom-$b"
  done ;;
fuzz_altitude)
  # Real altitudes from the allocated list, plus the odd but valid and the invalid.
  cut -d, -f2 data/allocated-altitudes.csv | grep -E '^[0-9.]+$' | sort -u | awk 'NR % 40 == 1' | lines
  printf '%s\n' 0 00000 0.0 .5 5. 1.2.3 -1 +5 ' 5' 1e5 328000.50 0328000.5 \
    '99999999999999999999999999999999999999999999999999999999999999999' \
    "$(printf '385100\xff0385100.000\xff49999.9')" "$(printf '1\xff1.0\xff01')" | lines ;;
fuzz_engine)
  # Engine inputs are bytes for a data provider; a few fixed patterns start it off.
  printf '\x01\x14\x10\x80\x40\x40\x80\x10\x10\x01\x03\x2a\x00\x00\x00\x00\x00\x00\x00\x05' >"$dir/random-20"
  printf '\x00\x02\x08' >"$dir/built-small"
  head -c 512 /dev/zero | tr '\0' '\7' >"$dir/built-sevens"
  head -c 512 /dev/zero | tr '\0' '\377' >"$dir/built-max" ;;
fuzz_fleet_jsonl)
  # Each line of the fleet fixtures and of the bad-input JSONL files is one seed.
  cat tests/fleet/fixtures/*.jsonl tests/bad_input/fleet/*.jsonl | lines ;;
fuzz_osquery)
  copy tests/fleet/fixtures/osquery/*.log tests/bad_input/fleet/*.log ;;
fuzz_fleet_summary)
  copy tests/bad_input/fleet/*.json
  printf '%s' '{"fltsim_fleet_summary": 1, "change": "add X 1", "machines": 2, "outcomes": {"clean": 1, "new-collision": 1}, "filters": [{"name": "A", "outcomes": {"new-collision": 1}}], "builds": [{"build": null, "outcomes": {"clean": 1, "new-collision": 1}}], "suggestions": [{"group": null, "altitude": "5", "outcomes": {"clean": 2}}]}' >"$dir/summary" ;;
*)
  echo "seed-corpus: unknown harness '$harness'" >&2
  exit 2 ;;
esac
copy "$regressions"/*
