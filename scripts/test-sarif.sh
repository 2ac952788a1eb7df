#!/usr/bin/env bash
# Validates `fltsim check --format sarif` with Microsoft's SARIF Multitool: the SARIF 2.1.0 JSON
# schema (-j, the schema shipped in the Linux package) plus Microsoft's SARIF rules. The validator
# exits 0 even for an invalid log, so this script reads validation.sarif and fails on any result of
# level "error", and also on a validation log that is missing or does not parse.
# Usage: scripts/test-sarif.sh BUILD_DIR   (test.sh passes its build directory)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: scripts/test-sarif.sh BUILD_DIR}
fltsim="$build/ui/cli/fltsim"
[[ -x "$fltsim" ]] || { echo "test-sarif: FAILED: $fltsim is not built" >&2; exit 1; }

tools=build/tools
multitool_version=5.7.0
if [[ ! -x "$tools/node_modules/.bin/sarif-multitool" ]]; then
  command -v npm >/dev/null || { echo "test-sarif: FAILED: npm is not installed" >&2; exit 1; }
  echo "test-sarif: installing @microsoft/sarif-multitool@$multitool_version into $tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" \
    "@microsoft/sarif-multitool@$multitool_version" >/dev/null
fi
schema="$tools/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json"
[[ -f "$schema" ]] || { echo "test-sarif: FAILED: no schema at $schema" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A run with input errors (they become toolExecutionNotifications).
mkdir -p "$work/broken"
printf 'name: Broken\nstart: sometimes\naltitude: 362399\n' >"$work/broken/broken.yaml"
printf 'name: CopyCat\ngroup: FSFilter Activity Monitor\nstart: demand\naltitude: 370030\n' \
  >"$work/broken/copycat.yaml"

# name | fltsim check arguments (every failing fixture covers every rule at least once)
cases=(
  "fixtures-fail|$(printf '%s ' tests/check/*/fail)"
  "fixtures-pass|$(printf '%s ' tests/check/*/pass)"
  "with-base|tests/check/altitude-inversion/pass --base scenarios/blog_example_a.yaml"
  "input-errors|$work/broken"
)

# The real-world INF files and .reg exports of the test corpus.
cases+=("corpus-inf|tests/corpus/inf" "corpus-reg|tests/corpus/registry")

failed=0
logs=()
for entry in "${cases[@]}"; do
  name=${entry%%|*}
  # shellcheck disable=SC2206
  args=(${entry#*|})
  out="$work/$name.sarif"
  set +e
  "$fltsim" check "${args[@]}" --format sarif --output "$out" 2>"$work/$name.stderr"
  code=$?
  set -e
  if [[ $code -gt 2 || ! -s "$out" ]]; then
    echo "test-sarif: FAILED: $name: fltsim check exited $code without a SARIF log" >&2
    cat "$work/$name.stderr" >&2
    failed=1
    continue
  fi
  logs+=("$out")
done
[[ ${#logs[@]} -gt 0 ]] || { echo "test-sarif: FAILED: no SARIF log to validate" >&2; exit 1; }

# One validator run over every log (its start-up dominates); results name the log they are about.
validation="$work/validation.sarif"
"$tools/node_modules/.bin/sarif-multitool" validate "${logs[@]}" -j "$schema" -o "$validation" \
  --log ForceOverwrite >"$work/validate.log" 2>&1 || true
# Every validation result with level "error" means a log is invalid; warnings are printed.
if ! node - "$validation" "${logs[@]}" <<'EOF'; then
const fs = require('fs');
const path = require('path');
const [validationPath, ...logs] = process.argv.slice(2);
let v;
try {
  v = JSON.parse(fs.readFileSync(validationPath, 'utf8'));
} catch (e) {
  console.error(`test-sarif: FAILED: cannot read the validation log: ${e.message}`);
  process.exit(1);
}
const run = (v.runs || [])[0];
if (!run || !Array.isArray(run.results)) {
  console.error('test-sarif: FAILED: the validator did not complete a run');
  process.exit(1);
}
const where = (r) => {
  const loc = r.locations && r.locations[0] && r.locations[0].physicalLocation;
  return loc && loc.artifactLocation ? path.basename(loc.artifactLocation.uri) : '?';
};
const text = (r) => `${where(r)}: ${r.ruleId}: ` +
  `${(r.message && (r.message.text || r.message.id)) || ''} ` +
  `${JSON.stringify((r.message && r.message.arguments) || [])}`;
let failed = false;
for (const r of run.results) {
  if (r.level === 'error') {
    console.error(`test-sarif: FAILED: error: ${text(r)}`);
    failed = true;
  } else {
    console.log(`test-sarif: ${r.level || 'warning'}: ${text(r)}`);
  }
}
for (const log of logs) {
  try {
    const s = JSON.parse(fs.readFileSync(log, 'utf8'));
    console.log(`test-sarif: ${path.basename(log)}: ${s.runs[0].results.length} results`);
  } catch (e) {
    console.error(`test-sarif: FAILED: ${log}: ${e.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
EOF
  echo "test-sarif: validator output:" >&2
  cat "$work/validate.log" >&2
  failed=1
fi
if [[ $failed -ne 0 ]]; then
  echo "test-sarif: FAILED: fltsim's SARIF output does not validate" >&2
  exit 1
fi
echo "test-sarif: all ${#logs[@]} SARIF logs valid (SARIF 2.1.0 schema and Microsoft's rules)"
