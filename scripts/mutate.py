#!/usr/bin/env python3
"""Mutation testing: do the tests notice a wrong change? (docs/reliability.md, "Mutation score")

Each mutant below is one small change a user would notice (a comparison flipped, a condition
dropped, a boundary moved by one). The harness applies them one at a time to a clean copy of the
tree (a detached `git worktree` of HEAD, so uncommitted work is never mutated), rebuilds only the
test executables that link the mutated library, runs their ctest cases (and `golden_outputs` when
the CLI links it), and says which mutants the tests kill. A surviving mutant needs a test that
kills it, or a line in docs/reliability.md explaining why it is equivalent.

Run on demand, not in CI (it rebuilds once per mutant: about a minute each on 2 cores):

  scripts/mutate.py                       # every mutant; table per module at the end
  scripts/mutate.py --module check        # one module (repeatable)
  scripts/mutate.py --only check-any-owner --only fleet-rank   # some mutants by id
  scripts/mutate.py --list                # the mutants, and whether each still applies
  scripts/mutate.py --self-test           # the harness's own checks (no build)

Options: --work DIR (default build/mutate: the tree copy and its build directory, kept between
runs so rebuilds are incremental; ccache is used when installed), --build DIR (mutate this
clean checkout in place and rebuild in its configured build directory: no second full build),
--jobs N (default 2),
--timeout S (per test, default 300), --json FILE (results). Builds take the shared lock
/tmp/fltsim-build.lock when `flock` exists (FLTSIM_BUILD_LOCK overrides the path, empty disables).

A mutant is (id, module, file, find, replace, what): `find` must occur exactly once in `file`
(else the mutant is reported `stale`: the code moved; update the mutant). A mutant that does not
compile is `stillborn` and counts neither way. Exit 0 when every applicable mutant was killed,
1 when some survived, 2 on a harness error (a baseline test failing, no git, ...).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    id: str
    module: str
    file: str
    find: str
    replace: str
    what: str


M = Mutant
# The list. Modules: machine (machine import), registry (.reg export, hive, snapshot), observed
# (captures, compare), events, fleet, check, placement (the engine's frame placement),
# volumes (volume attach policies V1-V5), baselines, io (input and output files), diagnose
# (fltsim diagnose and the machine evidence it reads).
MUTANTS: list[Mutant] = [
    # -- machine import (docs/model.md#machine-import) -------------------------------------------
    M("machine-first-control-set", "machine", "machine/src/machine_import.cpp",
      "if (sets.size() == 1) {", "if (sets.size() >= 1) {",
      "several ControlSetNNN and no Select\\Current: the first set is taken instead of an error"),
    M("machine-drop-disabled", "machine", "machine/src/machine_import.cpp",
      "if (*ev.start == 4)\n        ++disabled;", "if (*ev.start == 3)\n        ++disabled;",
      "imported disabled (Start 4) filters are no longer counted and noted"),
    M("machine-select-zero", "machine", "machine/src/machine_import.cpp",
      "cur->number > 999) {", "cur->number > 9999) {", "Select\\Current above 999 is accepted"),
    M("machine-start-above-4", "machine", "machine/src/machine_import.cpp",
      "if (ev.start && *ev.start > 4) {", "if (ev.start && *ev.start > 5) {",
      "a Start value of 5 is taken as a start type"),
    M("machine-no-altitude-kept", "machine", "machine/src/service_kind.cpp",
      "  if (e.instances_with_altitude > 0) {", "  if (e.instances_with_altitude > 1) {",
      "one instance with an altitude is no longer minifilter evidence (K-rules need two)"),
    M("machine-parameters-instances", "machine", "machine/src/machine_import.cpp",
      "if (!has_key(inst_root) && has_key(path + \"\\\\Parameters\\\\Instances\"))",
      "if (has_key(inst_root) && has_key(path + \"\\\\Parameters\\\\Instances\"))",
      "Instances under Parameters are not found"),
    M("machine-legacy-group", "machine", "machine/src/service_kind.cpp",
      "if (fsfilter || (filter && *e.type == service_file_system_driver)) {",
      "if (fsfilter || (filter && *e.type != service_file_system_driver)) {",
      "a kernel driver of the group Filter (CLFS) is read as a legacy filter (K8 lost)"),
    # -- registry readers ---------------------------------------------------------------------------
    M("reg-delete-key", "registry", "machine/src/reg_export_reader.cpp",
      "const bool remove = !path.empty() && path.front() == '-';",
      "const bool remove = !path.empty() && path.front() == '+';", "`[-key]` leaves the key"),
    M("reg-delete-value", "registry", "machine/src/reg_export_reader.cpp",
      "case RegData::Kind::remove:\n      key.erase(name);",
      "case RegData::Kind::remove:\n      (void)key.find(name);", "`\"name\"=-` leaves the value"),
    M("reg-regedit4-utf16", "registry", "machine/include/fltsim/machine/reg_text.hpp",
      "  if (trimmed_line == \"REGEDIT4\")\n    return false;",
      "  if (trimmed_line == \"REGEDIT4\")\n    return true;", "REGEDIT4 data is decoded as UTF-16"),
    M("registry-later-write", "registry", "machine/src/registry_snapshot.cpp",
      "  if (!inserted) {\n    values[it->second] = std::move(v);",
      "  if (!inserted) {\n    (void)v;",
      "a later write of a value does not replace the earlier one"),
    M("registry-remove-siblings", "registry", "machine/src/registry_snapshot.cpp",
      "const std::string prefix = k + '\\\\';\n  auto it = keys_.lower_bound(prefix);\n  while",
      "const std::string prefix = k;\n  auto it = keys_.lower_bound(prefix);\n  while",
      "`[-Services\\\\A]` also removes Services\\\\AB"),
    M("registry-other-hive", "registry", "machine/src/registry_snapshot.cpp",
      "if (!sim::iequals(c[skip], \"SYSTEM\") && !any_hive_name)",
      "if (!sim::iequals(c[skip], \"SYSTEM\") || !any_hive_name)",
      "keys outside HKLM\\\\SYSTEM are read as SYSTEM"),
    # -- observed (captures and compare) ---------------------------------------------------------------
    M("observed-legacy-missing", "observed", "observed/src/observed_import.cpp",
      "kind == ObservedKind::fltmc_instances;", "kind == ObservedKind::fltkd_frames;",
      "a legacy filter missing from an `fltmc instances` listing goes "
      "unreported"),
    M("observed-findstr-partial", "observed", "observed/src/observed.cpp",
      "if (!filter_.empty()) {\n      s.truncated = true;",
      "if (!filter_.empty()) {\n      s.truncated = false;",
      "a piped `findstr` listing with its header is not marked partial"),
    M("observed-frame-mismatch", "observed", "observed/src/observed_import.cpp",
      "if (!f.legacy && f.frame && p.frame != *f.frame)",
      "if (!f.legacy && f.frame && p.frame == *f.frame)",
      "compare: a filter in another frame than predicted goes unreported"),
    M("observed-instances-mismatch", "observed", "observed/src/observed_import.cpp",
      "if (!f.legacy && f.instances && p.instances != *f.instances)",
      "if (!f.legacy && f.instances && p.instances < *f.instances)",
      "compare: fewer instances than predicted go unreported"),
    M("observed-frame-count", "observed", "observed/src/observed_import.cpp",
      "if (seen->frame_count > 0 && predicted_frames_count != seen->frame_count)",
      "if (seen->frame_count > 1 && predicted_frames_count != seen->frame_count)",
      "compare: one observed frame against several predicted goes unreported"),
    M("observed-error-line", "observed", "observed/src/observed.cpp",
      "if (open_) {\n      truncate(section(), text);",
      "if (open_) {\n      note(section(), text);",
      "an error printed instead of more rows does not make the listing partial"),
    M("observed-instance-limit", "observed", "observed/src/observed_import.cpp",
      "*f.instances > max_importable_instances", "*f.instances > max_importable_instances + 1",
      "import accepts one instance more than its limit"),
    # -- events (FilterManager event 6) -----------------------------------------------------------------
    M("events-last-boot", "events", "observed/src/events_reader.cpp",
      "if (e.boot == boots - 1)", "if (e.boot == 0)",
      "the load order is taken from the first boot in the log, not the last"),
    M("events-json-order", "events", "observed/src/events_reader.cpp",
      "newest_first = true; // Get-WinEvent order", "newest_first = false; // Get-WinEvent order",
      "Get-WinEvent JSON is taken oldest first"),
    M("events-csv-order", "events", "observed/src/events_reader.cpp",
      "if (is_csv)\n      newest_first = true;", "if (is_csv)\n      newest_first = false;",
      "Get-WinEvent CSV is taken oldest first"),
    M("events-timestamp-order", "events", "observed/src/events_reader.cpp",
      "return *sort_key(a.time) < *sort_key(b.time);",
      "return *sort_key(b.time) < *sort_key(a.time);",
      "timestamped records are ordered newest first"),
    M("events-id", "events", "observed/src/events_reader.cpp",
      "const bool is6 = r.id == 6 ? provider_ok", "const bool is6 = r.id == 5 ? provider_ok",
      "records with event id 6 are not load events"),
    M("events-provider", "events", "observed/src/events_reader.cpp",
      "const bool provider_ok = r.provider.empty() || has(",
      "const bool provider_ok = !r.provider.empty() || has(",
      "event 6 of any provider counts as a FilterManager load"),
    # -- fleet ---------------------------------------------------------------------------------------
    M("fleet-rank", "fleet", "fleet/src/fleet.cpp",
      "if (collision) {\n    out.outcome = Outcome::new_collision;",
      "if (collision && !inversion) {\n    out.outcome = Outcome::new_collision;",
      "a new inversion outranks a new collision in the fleet"),
    M("fleet-upgrade-position", "fleet", "fleet/src/fleet.cpp",
      "after.drivers[static_cast<std::size_t>(at)] = d; // an upgrade",
      "after.drivers.push_back(d); // an upgrade",
      "an upgrade is installed beside the old version instead of replacing it"),
    M("fleet-responsible", "fleet", "fleet/src/fleet.cpp",
      "      if (!changed_.contains(d))", "      if (changed_.contains(d))",
      "the changed driver is named responsible instead of the drivers it meets"),
    M("fleet-order-change", "fleet", "fleet/src/fleet.cpp",
      "const bool reordered = order_b_ != order_a_;", "const bool reordered = false;",
      "an order change is not reported"),
    M("fleet-remove-events", "fleet", "fleet/src/fleet.cpp",
      "return sim::iequals(e.driver, name); });", "return !sim::iequals(e.driver, name); });",
      "removing a driver removes every other driver's events"),
    # -- diagnose (docs/diagnose.md) ----------------------------------------------------------------
    M("diagnose-altitude-conflict", "diagnose", "diagnose/src/diagnose.cpp",
      "        ++s.c.conflicts;\n        s.c.score -= 3;\n        against.push_back(m->name + \" is at \"",
      "        ++s.c.conflicts;\n        s.c.score += 3;\n        against.push_back(m->name + \" is at \"",
      "an inbox filter at another altitude speaks for a baseline instead of against it"),
    M("diagnose-demand-missing", "diagnose", "diagnose/src/diagnose.cpp",
      "(observation_only && bd.start == sim::StartType::demand ? out.missing_demand : out.missing)",
      "(observation_only && bd.start == sim::StartType::demand ? out.missing : out.missing_demand)",
      "a demand-start inbox filter a capture does not list is a finding, the others not"),
    M("diagnose-informative-baseline", "diagnose", "diagnose/src/diagnose.cpp",
      "if (!baseline.informative && (!baseline.missing.empty() || !baseline.moved.empty()))",
      "if (baseline.informative && (!baseline.missing.empty() || !baseline.moved.empty()))",
      "inbox filters missing from a baseline that is only the nearest guess are findings"),
    M("evidence-second-configuration", "diagnose", "inputs/src/machine_evidence.cpp",
      "if (ev_.configuration_source.empty())\n      return false;",
      "if (!ev_.configuration_source.empty())\n      return false;",
      "a second registry or scenario of one machine replaces the first instead of an error"),
    # -- check rules (docs/rules.md) ------------------------------------------------------------------
    M("check-legacy-disabled", "check", "check/src/rules/legacy_not_boot_start.cpp",
      "d.start == sim::StartType::disabled)", "d.start == sim::StartType::boot)",
      "disabled legacy filters get the not-boot-start warning"),
    M("check-legacy-boot", "check", "check/src/rules/legacy_not_boot_start.cpp",
      "d.start == sim::StartType::boot ||", "d.start == sim::StartType::system ||",
      "boot-start legacy filters get the not-boot-start warning"),
    M("check-any-owner", "check", "check/src/rules/altitude_allocated_elsewhere.cpp",
      "rows.empty() || std::any_of(", "rows.empty() || std::all_of(",
      "an altitude with several owners is 'allocated elsewhere' unless every owner matches"),
    M("check-allocated-legacy", "check", "check/src/rules/altitude_allocated_elsewhere.cpp",
      "if (!d.is_minifilter())\n    return;", "if (d.is_minifilter())\n    return;",
      "the allocated-altitude rule looks at legacy filters instead of minifilters"),
    M("check-owner-suffix", "check", "check/src/rules.cpp",
      "listed.find(\" - \")", "listed.find(\" + \")",
      "'minispy.sys - Top' no longer names minispy"),
    M("check-range-high", "check", "check/src/rules.cpp",
      "!(sim::Altitude::from_literal(g.high) < a)", "(a < sim::Altitude::from_literal(g.high))",
      "a group's highest altitude counts as outside the group"),
    M("check-range-low", "check", "check/src/rules.cpp",
      "return !(a < sim::Altitude::from_literal(g.low))",
      "return (sim::Altitude::from_literal(g.low) < a)",
      "a group's lowest altitude counts as outside the group"),
    M("check-out-of-range-legacy", "check", "check/src/rules/altitude_out_of_group_range.cpp",
      "if (!d.is_minifilter() || !d.group)", "if (d.is_minifilter() || !d.group)",
      "the group-range rule looks at legacy filters instead of minifilters"),
    M("check-order-dependent", "check", "check/src/rules/order_dependent_outcome.cpp",
      "if (!ties.order_dependent)", "if (ties.order_dependent)",
      "order-dependent outcomes are reported when there are none"),
    M("check-merge-demand", "check", "check/src/merge.cpp",
      "d.start != sim::StartType::demand ||", "d.start != sim::StartType::system ||",
      "demand-start manifest drivers are not loaded after boot"),
    M("check-merge-replace", "check", "check/src/merge.cpp",
      "std::move(manifest), sim::SameName::replace_once);",
      "std::move(manifest), sim::SameName::latest_wins);",
      "two manifest drivers of one name replace each other instead of the second being added"),
    # -- placement (the engine's frames, R3-R5) -------------------------------------------------------
    M("placement-frame-high", "placement", "sim/src/engine.cpp",
      "[](const Frame &f, const Altitude &x) { return f.high < x; });",
      "[](const Frame &f, const Altitude &x) { return !(x < f.high); });",
      "an altitude equal to a frame's high goes to the next frame"),
    M("placement-r5-raise", "placement", "sim/src/engine.cpp",
      "if (*alt > top.high) {", "if (*alt < top.high) {",
      "R5 does not raise the top frame to a legacy filter's altitude"),
    M("placement-r43-grow", "placement", "sim/src/engine.cpp",
      "if (last_fltmgr_reg_ + 1 == fsreg_.size()) {",
      "if (last_fltmgr_reg_ + 1 != fsreg_.size()) {",
      "R4.3: the top frame grows when something registered above it"),
    M("placement-a3-outside", "placement", "sim/src/engine.cpp",
      "if (inst.altitude < f.low || inst.altitude > f.high) {",
      "if (inst.altitude < f.low && inst.altitude > f.high) {",
      "an instance outside its frame attaches anyway (A3)"),
    M("placement-e3-skip", "placement", "sim/src/engine.cpp",
      "if (!alt)\n        continue; // E3", "if (alt)\n        continue; // E3",
      "legacy filters with an altitude are skipped by R5"),
    # -- volume policies (V1-V5) ------------------------------------------------------------------------
    M("volumes-devdrive-low", "volumes", "sim/src/engine.cpp",
      "altitude && !(*altitude < av_low)", "altitude && (av_low < *altitude)",
      "the Dev Drive anti-virus range loses its low end, 320000"),
    M("volumes-devdrive-high", "volumes", "sim/src/engine.cpp",
      "!(av_high < *altitude);", "(*altitude < av_high);",
      "the Dev Drive anti-virus range loses its high end, 329999"),
    M("volumes-devdrive-untrusted", "volumes", "sim/src/engine.cpp",
      "if (c == VolumeClass::dev_drive && spec.trusted && !legacy) {",
      "if (c == VolumeClass::dev_drive && !spec.trusted && !legacy) {",
      "the Dev Drive policy applies to untrusted Dev Drives instead of trusted ones"),
    M("volumes-devdrive-av-policy", "volumes", "sim/src/engine.cpp",
      "if (!(antivirus && sc_.policy.dev_drive_allow_antivirus) &&",
      "if (!(antivirus || sc_.policy.dev_drive_allow_antivirus) &&",
      "every filter attaches to a Dev Drive when anti-virus is allowed"),
    M("volumes-dax-legacy", "volumes", "sim/src/engine.cpp",
      "if (!dr.supports_dax)", "if (dr.supports_dax)",
      "DAX volumes refuse the minifilters that support them (V3)"),
    M("volumes-npfs", "volumes", "sim/src/engine.cpp",
      "if ((c == VolumeClass::named_pipe || c == VolumeClass::mailslot) && !legacy &&",
      "if ((c == VolumeClass::named_pipe && c == VolumeClass::mailslot) && !legacy &&",
      "minifilters without NPFS/MSFS support attach to named pipes and mailslots (V4)"),
    M("volumes-declines", "volumes", "sim/src/engine.cpp",
      "dr.skip_volume_classes.end())\n      return dr.name + \" declines \"",
      "dr.skip_volume_classes.begin())\n      return dr.name + \" declines \"",
      "a filter declines every volume class but the one it names (V5)"),
    # -- baselines ------------------------------------------------------------------------------------
    M("baselines-scenario-corrects", "baselines", "baselines/src/baselines.cpp",
      "sim::put_drivers(sc.drivers, own.drivers, sim::SameName::replace_once);",
      "sc.drivers.insert(sc.drivers.end(), own.drivers.begin(), own.drivers.end());",
      "a scenario's driver is added beside the baseline's instead of correcting it"),
    M("baselines-overlay-replaces", "baselines", "baselines/src/baselines.cpp",
      "sim::put_drivers(sc.drivers, b->drivers, sim::SameName::latest_wins);",
      "sc.drivers.insert(sc.drivers.end(), b->drivers.begin(), b->drivers.end());",
      "an overlay's driver is added beside the build's"),
    M("baselines-two-builds", "baselines", "baselines/src/baselines.cpp",
      "      if (build) {\n        set.error", "      if (false) {\n        set.error",
      "two Windows builds in one scenario are accepted"),
    M("baselines-build-first", "baselines", "baselines/src/baselines.cpp",
      "[](const Baseline *b) { return b->kind == BaselineKind::build; });",
      "[](const Baseline *b) { return b->kind != BaselineKind::build; });",
      "overlays are applied before the build they overlay"),
    M("baselines-alias", "baselines", "baselines/src/baselines.cpp",
      "sim::iequals(id, \"windows-11-23h2\")", "sim::iequals(id, \"windows-11-24h2\")",
      "windows-11-23h2 is an unknown baseline"),
    M("baselines-assumed-complete", "baselines", "baselines/src/baselines.cpp",
      "if (any_assumed && b.completeness == Completeness::complete)",
      "if (any_assumed && b.completeness != Completeness::complete)",
      "a 'complete' baseline with assumed values is accepted"),
    # -- io (inputs read whole, outputs that never destroy) ----------------------------------------
    M("io-pipe-limit", "io", "io/src/input.cpp",
      "if (once.taken.size() > limit) {", "if (once.taken.size() >= limit) {",
      "a pipe of exactly the size limit is refused"),
    M("io-file-limit", "io", "io/src/input.cpp",
      "if (bytes.size() > limit) {", "if (bytes.size() > limit + 1) {",
      "a file one byte over the size limit is read"),
    M("io-run-inputs", "io", "io/src/output.cpp",
      "for (const InputIdentity &i : run_inputs())",
      "for (const InputIdentity &i : std::vector<InputIdentity>{})",
      "an output may overwrite an input the run has read (an included file, an event log)"),
    M("io-fifo-in-place", "io", "io/src/output.cpp",
      "if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))",
      "if (S_ISCHR(st.st_mode))",
      "an output FIFO is refused instead of written"),
    M("io-symlink-kept", "io", "io/src/output.cpp",
      "  if (S_ISREG(st.st_mode))\n    return replace_atomically(target, content, path);",
      "  if (S_ISREG(st.st_mode))\n    return replace_atomically(path, content, path);",
      "an output symbolic link is replaced by a regular file"),
]


# ---------------------------------------------------------------------------------------------
def sh(cmd, cwd=None, env=None, timeout=None, capture=True):
    return subprocess.run(cmd, cwd=cwd, env=env, timeout=timeout, text=True,
                          stdout=subprocess.PIPE if capture else None,
                          stderr=subprocess.STDOUT if capture else None)


def locked(cmd):
    lock = os.environ.get("FLTSIM_BUILD_LOCK", "/tmp/fltsim-build.lock")
    if lock and shutil.which("flock"):
        return ["flock", lock, "nice", "-n", "5"] + cmd
    return cmd


def source_of(m: Mutant, tree: Path) -> Path | None:
    """The mutated file: `m.file`, else the one file of that name anywhere in the tree (modules
    move; the mutant follows its file)."""
    p = tree / m.file
    if p.exists():
        return p
    hits = [h for h in tree.rglob(Path(m.file).name)
            if ".git" not in h.parts and "build" not in h.relative_to(tree).parts]
    return hits[0] if len(hits) == 1 else None


def applies(m: Mutant, tree: Path) -> str:
    """'' when the mutant applies to `tree`, else why not."""
    p = source_of(m, tree)
    if p is None:
        return f"no file {m.file}"
    n = p.read_text(encoding="utf-8").count(m.find)
    if n != 1:
        return f"`find` occurs {n} times in {p.relative_to(tree)}"
    if m.find == m.replace:
        return "replace equals find"
    return ""


def target_of(build: Path, source: Path) -> str | None:
    """The CMake target compiling `source` (from compile_commands.json)."""
    db = json.loads((build / "compile_commands.json").read_text())
    for e in db:
        if Path(e["file"]).resolve() == source.resolve():
            cmd = e.get("command") or " ".join(e.get("arguments", []))
            hit = re.search(r"CMakeFiles/([A-Za-z0-9_.-]+)\.dir/", e.get("output", "") + " " + cmd)
            if hit:
                return hit.group(1)
    return None


def dependers(build: Path, target: str) -> set[str]:
    """Executables that link `target`, directly or not (cmake --graphviz)."""
    dot = build / "mutate-graph" / "deps.dot"
    if not dot.exists():
        dot.parent.mkdir(exist_ok=True)
        sh(["cmake", f"--graphviz={dot}", "."], cwd=build)
    # deps.dot: nodes `"nodeN" [ label = "NAME" ... ]`, edges `"nodeA" -> "nodeB"` (A links B).
    text = dot.read_text()
    # A label may add the alias on a second line: "fltsim_check\n(fltsim::check)".
    names = {n: label.split("\\n")[0]
             for n, label in re.findall(r'"(node\d+)"\s*\[\s*label\s*=\s*"([^"]+)"', text)}
    edges: dict[str, set[str]] = {}
    for a, b in re.findall(r'"(node\d+)"\s*->\s*"(node\d+)"', text):
        edges.setdefault(names.get(b, b), set()).add(names.get(a, a))
    seen, todo = set(), [target]
    while todo:
        t = todo.pop()
        for u in edges.get(t, ()):
            if u not in seen:
                seen.add(u)
                todo.append(u)
    return seen


def ctest_names(build: Path) -> list[str]:
    out = sh(["ctest", "--show-only=json-v1"], cwd=build).stdout
    return [t["name"] for t in json.loads(out).get("tests", [])]


def plan_for(build: Path, m: Mutant, tree: Path, all_tests: list[str]):
    """(build targets, ctest regex) for a mutant."""
    source = source_of(m, tree)
    lib = target_of(build, source)
    if lib is None and source is not None and source.suffix == ".hpp":
        # A header: the library of its module (the first folder), through any source file there.
        module = source.relative_to(tree).parts[0]
        lib = next((t for f in sorted((tree / module).rglob("*.cpp"))
                    if (t := target_of(build, f)) and t.startswith("fltsim_")), None)
    if lib is None:
        raise SystemExit(f"mutate: no CMake target compiles {m.file}")
    deps = dependers(build, lib)
    suites = sorted(d for d in deps if d.startswith("test_"))
    targets = list(suites)
    names = [re.escape(s) + ":" for s in suites]  # ctest names: "test_machine:<case>"
    if "fltsim" in deps and "golden_outputs" in all_tests:
        targets.append("fltsim")
        names.append("golden_outputs$")
    if not names:
        raise SystemExit(f"mutate: no test links {lib} ({m.file})")
    return targets, "^(" + "|".join(names) + ")"


def build_targets(build: Path, targets, jobs: int) -> tuple[bool, str]:
    r = sh(locked(["cmake", "--build", str(build), "-j", str(jobs), "--target", *targets]))
    return r.returncode == 0, r.stdout


def run_tests(build: Path, regex: str, jobs: int, timeout: int) -> tuple[bool, list[str]]:
    r = sh(["ctest", "--test-dir", str(build), "-R", regex, "-j", str(jobs), "--timeout",
            str(timeout), "--output-on-failure", "--stop-on-failure"])
    failed = re.findall(r"\d+ - (.+?) \((?:Failed|Timeout|SEGFAULT|Subprocess aborted|"
                        r"Exception|Child aborted|Not Run)", r.stdout)
    if "No tests were found" in r.stdout:
        # A regex that selects nothing would let every mutant survive unseen.
        raise SystemExit(f"mutate: no ctest case matches {regex}")
    return r.returncode == 0, failed


def prepare(work: Path, jobs: int) -> tuple[Path, Path]:
    tree, build = work / "tree", work / "build"
    head = sh(["git", "rev-parse", "HEAD"], cwd=ROOT).stdout.strip()
    if not (tree / ".git").exists():
        work.mkdir(parents=True, exist_ok=True)
        r = sh(["git", "worktree", "add", "--detach", str(tree), head], cwd=ROOT)
        if r.returncode:
            raise SystemExit("mutate: git worktree add failed:\n" + r.stdout)
    else:
        sh(["git", "checkout", "--detach", "--force", head], cwd=tree)
        sh(["git", "reset", "--hard", head], cwd=tree)
    if not (build / "CMakeCache.txt").exists():
        cfg = ["cmake", "-S", str(tree), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
               "-DFLTSIM_BUILD_TESTS=ON", "-DFLTSIM_BUILD_VIEWER=OFF",
               "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"]
        if shutil.which("ninja"):
            cfg += ["-G", "Ninja"]
        if shutil.which("ccache"):
            cfg += ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache", "-DCMAKE_C_COMPILER_LAUNCHER=ccache"]
        r = sh(cfg)
        if r.returncode:
            raise SystemExit("mutate: configure failed:\n" + r.stdout[-4000:])
    shutil.rmtree(build / "mutate-graph", ignore_errors=True)
    return tree, build


def mutate_one(m: Mutant, tree: Path, build: Path, plan, jobs, timeout) -> dict:
    path = source_of(m, tree)
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace(m.find, m.replace, 1), encoding="utf-8")
    start = time.time()
    try:
        ok, log = build_targets(build, plan[0], jobs)
        if not ok:
            return {"status": "stillborn", "log": log[-2000:]}
        passed, failed = run_tests(build, plan[1], jobs, timeout)
        return {"status": "survived" if passed else "killed", "killed_by": failed[:5]}
    finally:
        path.write_text(original, encoding="utf-8")
        # An unchanged source keeps its old object: restore the mtime order by touching it (the
        # next build recompiles it, from ccache when available).
        os.utime(path, None)
        print(f"  {time.time() - start:5.0f} s", file=sys.stderr)


def table(results: list[dict]) -> str:
    mods: dict[str, dict[str, int]] = {}
    for r in results:
        c = mods.setdefault(r["module"], {"killed": 0, "survived": 0, "stillborn": 0, "stale": 0})
        c[r["status"]] += 1
    lines = ["| module | mutants | killed | survived | score | stillborn / stale |",
             "|---|---|---|---|---|---|"]
    tk = tt = 0
    for mod, c in mods.items():
        n = c["killed"] + c["survived"]
        tk += c["killed"]
        tt += n
        score = f"{100 * c['killed'] / n:.0f}%" if n else "-"
        lines.append(f"| {mod} | {n} | {c['killed']} | {c['survived']} | {score} | "
                     f"{c['stillborn']} / {c['stale']} |")
    if tt:
        lines.append(f"| **all** | {tt} | {tk} | {tt - tk} | {100 * tk / tt:.0f}% | |")
    return "\n".join(lines)


def self_test() -> int:
    ids = [m.id for m in MUTANTS]
    assert len(ids) == len(set(ids)), "duplicate mutant id"
    for m in MUTANTS:
        assert m.find != m.replace, m.id
        assert m.module and m.what, m.id
    r = [{"module": "a", "status": "killed"}, {"module": "a", "status": "survived"},
         {"module": "b", "status": "stale"}]
    t = table(r)
    assert "| a | 2 | 1 | 1 | 50% |" in t, t
    assert "| b | 0 | 0 | 0 | - | 0 / 1 |" in t, t
    stale = [m.id for m in MUTANTS if applies(m, ROOT)]
    print(f"mutate self-test: {len(MUTANTS)} mutants, {len(stale)} do not apply to this tree"
          + (": " + ", ".join(stale) if stale else ""))
    return 0


def main() -> int:
    global ROOT
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", default=str(ROOT),
                    help="the repository to mutate a clean copy of (default: this one)")
    ap.add_argument("--work", default=None)
    ap.add_argument("--build", default=None,
                    help="mutate the source tree itself and rebuild in this (configured) build "
                         "directory instead of a worktree copy; each mutated file must be "
                         "unmodified in git and is restored after its mutant")
    ap.add_argument("--module", action="append", default=[])
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--json")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args()
    ROOT = Path(a.source).resolve()
    a.work = a.work or str(ROOT / "build" / "mutate")
    if a.self_test:
        return self_test()
    chosen = [m for m in MUTANTS if (not a.module or m.module in a.module)
              and (not a.only or m.id in a.only)]
    if a.list:
        for m in chosen:
            why = applies(m, ROOT)
            print(f"{m.id:32} {m.module:10} {'STALE: ' + why if why else 'ok'}  {m.what}")
        return 0
    if not chosen:
        print("mutate: no mutant selected", file=sys.stderr)
        return 2
    if a.build:
        tree, build = ROOT, Path(a.build).resolve()
        dirty = sh(["git", "status", "--porcelain", "--untracked-files=no"], cwd=tree).stdout
        if dirty.strip():
            print("mutate: --build mutates the tree in place; commit or stash first:\n" + dirty,
                  file=sys.stderr)
            return 2
    else:
        tree, build = prepare(Path(a.work).resolve(), a.jobs)
    all_tests: list[str] = ["golden_outputs"]  # refined once suites are built
    baseline: dict[str, bool] = {}
    results = []
    for k, m in enumerate(chosen, 1):
        print(f"[{k}/{len(chosen)}] {m.id}: {m.what}", file=sys.stderr)
        why = applies(m, tree)
        if why:
            results.append({"id": m.id, "module": m.module, "status": "stale", "why": why})
            print(f"  stale: {why}", file=sys.stderr)
            continue
        plan = plan_for(build, m, tree, all_tests)
        if plan[1] not in baseline:  # the unmutated targets build and pass first
            ok, log = build_targets(build, plan[0], a.jobs)
            if not ok:
                print(log[-4000:], file=sys.stderr)
                print("mutate: the unmutated tree does not build", file=sys.stderr)
                return 2
            all_tests = ctest_names(build)  # test discovery runs when a suite is built
            plan = plan_for(build, m, tree, all_tests)
            baseline[plan[1]], failed = run_tests(build, plan[1], a.jobs, a.timeout)
            if not baseline[plan[1]]:
                print(f"mutate: unmutated tests fail: {failed}", file=sys.stderr)
                return 2
        r = mutate_one(m, tree, build, plan, a.jobs, a.timeout)
        r.update({"id": m.id, "module": m.module, "what": m.what})
        print(f"  {r['status']}" + (f" by {r['killed_by']}" if r.get("killed_by") else ""),
              file=sys.stderr)
        results.append(r)
    print(table(results))
    for r in results:
        if r["status"] in ("survived", "stale", "stillborn"):
            print(f"{r['status']}: {r['id']} ({r['module']}): {r.get('what', r.get('why', ''))}")
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=2) + "\n")
    return 1 if any(r["status"] == "survived" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
