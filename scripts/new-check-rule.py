#!/usr/bin/env python3
"""Adds a `fltsim check` rule: every file docs/where-things-go.md lists for "a new check rule".

Usage: scripts/new-check-rule.py [--driver-rule] [--severity error|warning|note]
                                 [--summary TEXT] [--root DIR] RULE-ID

RULE-ID is kebab case ("legacy-not-boot-start"): lower-case letters and digits in words joined by
single '-', starting with a letter, at most 60 characters. Its C++ name is the id with '_' for '-'.
Writes (clang-tidy's add_new_check.py is the model):
  check/src/rules/<name>.cpp            the catalogue entry (sim::RuleInfo) and a logic skeleton
                                        that compiles, registered but reporting nothing yet
  check/include/fltsim/check/rules.hpp  the id constant check::rule::<name>
  check/src/catalogue.cpp               the entry, last in report order
  check/src/rule_support.hpp            its declaration
  check/src/rules.cpp                   the call: in driver_rules() with --driver-rule (a rule
                                        about one manifest driver alone), else in run_check_rules()
                                        (a rule about the whole checked scenario)
  check/CMakeLists.txt                  the source file
  docs/rules.md                         its row in the table and its section (the SARIF help link)
  tests/check/<id>/{fail,pass}/         fixtures to edit: the fixture test (check_rules_test.cpp)
                                        fails until fail/ really reports the rule
Refuses (exit 2, nothing written) an id that is malformed, already a rule (check's or the
engine's), already has fixtures, a doc section or a rule file, or whose C++ name is a keyword or
already used in the files it edits. Prints one line per file, "wrote PATH" or "edited PATH", then
the next steps. Python 3 standard library only.
"""

import argparse
import difflib
import keyword
import re
import shutil
import subprocess
import sys
from pathlib import Path

ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
CXX_KEYWORDS = set(
    "alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t "
    "char32_t class compl concept const consteval constexpr constinit const_cast continue "
    "co_await co_return co_yield decltype default delete do double dynamic_cast else enum "
    "explicit export extern false float for friend goto if inline int long mutable namespace new "
    "noexcept not not_eq nullptr operator or or_eq private protected public register "
    "reinterpret_cast requires return short signed sizeof static static_assert static_cast struct "
    "switch template this thread_local throw true try typedef typeid typename union unsigned using "
    "virtual void volatile wchar_t while xor xor_eq".split())
# Names the rule files already use in namespace fltsim::check::detail.
RESERVED = {"check", "detail", "rule", "sim", "std", "fltsim", "out", "loc", "result", "info"}
SEVERITIES = ("error", "warning", "note")

RULES_HPP = "check/include/fltsim/check/rules.hpp"
CATALOGUE = "check/src/catalogue.cpp"
SUPPORT = "check/src/rule_support.hpp"
RULES_CPP = "check/src/rules.cpp"
CMAKE = "check/CMakeLists.txt"
DOC = "docs/rules.md"
ENGINE_IDS = "sim/include/fltsim/sim/findings.hpp"
FIXTURES = "tests/check"


class Refused(Exception):
    pass


def read(root, rel):
    p = root / rel
    if not p.is_file():
        raise Refused(f"{rel} is missing: is --root the top of the fltsim tree?")
    return p.read_text(encoding="utf-8")


def insert_before(text, anchor, new, what, rel):
    """Inserts `new` before the first line that is exactly `anchor` (after indentation)."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip() == anchor:
            lines.insert(i, new)
            return "".join(lines)
    raise Refused(f"{rel}: cannot find where {what} goes (no line '{anchor}')")


def insert_after(text, anchor, new, what, rel):
    """Inserts `new` after the first line that is exactly `anchor` (after indentation)."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip() == anchor:
            lines.insert(i + 1, new)
            return "".join(lines)
    raise Refused(f"{rel}: cannot find where {what} goes (no line '{anchor}')")


def bump_array(text, declaration, what, rel):
    """`std::array<T, N> name{{ ... }};`: N+1 and returns (text, index of its closing line)."""
    m = re.search(r"(std::array<" + re.escape(declaration[0]) + r", )(\d+)(> " +
                  re.escape(declaration[1]) + r"\{\{\n)", text)
    if not m:
        raise Refused(f"{rel}: cannot find {what} (std::array<{declaration[0]}, N> "
                      f"{declaration[1]}{{{{)")
    count = int(m.group(2))
    text = text[:m.start(2)] + str(count + 1) + text[m.end(2):]
    close = text.find("}};", m.end())
    entries = text[m.end():close].count("&")
    if close < 0 or entries != count:
        raise Refused(f"{rel}: {what} lists {entries} entries but declares {count}")
    return text, text.rfind("\n", 0, close) + 1


def add_array_entry(text, declaration, entry, what, rel):
    text, at = bump_array(text, declaration, what, rel)
    return text[:at] + entry + text[at:]


def align_trailing_comments(lines):
    """clang-format's AlignTrailingComments for a run of `code; // comment` lines."""
    parts = [l.rstrip("\n").split(" // ", 1) for l in lines]
    width = max(len(code.rstrip()) for code, _ in parts) + 1
    return [f"{code.rstrip():<{width}}// {comment}\n" for code, comment in parts]


def add_declaration(text, decl, rel):
    """Appends `decl` to the run of `extern const ...; // rules/...` lines and realigns it."""
    lines = text.splitlines(keepends=True)
    run = [i for i, l in enumerate(lines) if l.startswith("extern const ") and " // " in l]
    if not run or run != list(range(run[0], run[-1] + 1)):
        raise Refused(f"{rel}: cannot find the run of 'extern const ...; // rules/...' lines")
    block = align_trailing_comments([lines[i] for i in run] + [decl])
    lines[run[0]:run[-1] + 1] = block
    return "".join(lines)


def doc_table_row(text, row, rel):
    """Appends `row` to the rule table (the table under '| rule | severity | summary |')."""
    lines = text.splitlines(keepends=True)
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith("| rule | severity |"))
    except StopIteration:
        raise Refused(f"{rel}: cannot find the rule table ('| rule | severity | summary |')")
    end = start
    while end + 1 < len(lines) and lines[end + 1].startswith("|"):
        end += 1
    lines.insert(end + 1, row)
    return "".join(lines)


def camel(rule_id):
    return "".join(w.capitalize() for w in rule_id.split("-"))


def rule_source(rule_id, name, severity, summary, driver_rule):
    head = (f"// {rule_id} (docs/rules.md#{rule_id}): TODO: what it finds, citing the model's rule\n"
            f"// ids (docs/model.md), as the other files of check/src/rules/ do.\n"
            f'#include "../rule_support.hpp"\n\n'
            f"namespace fltsim::check::detail {{\n\n")
    summary_lit = summary.replace("\\", "\\\\").replace('"', '\\"')
    if driver_rule:
        body = (f"namespace {{\n\n"
                f"constexpr sim::RuleInfo kInfo{{\n"
                f"    rule::{name}, sim::Severity::{severity},\n"
                f'    "{summary_lit}"}};\n\n'
                f"void check(const sim::Driver &d, const sim::AllocatedTable &allocated,\n"
                f"           std::vector<LocatedFinding> &out) {{\n"
                f"  // TODO: return when `d` is fine; else report the finding where the fix goes:\n"
                f"  //   out.push_back({{make_finding(kInfo.id, {{d.name}}, d.name + \" ...\"), "
                f"d.location}});\n"
                f"  static_cast<void>(d);\n"
                f"  static_cast<void>(allocated);\n"
                f"  static_cast<void>(out);\n"
                f"}}\n\n"
                f"}} // namespace\n\n"
                f"const DriverRule {name}{{kInfo, &check}};\n")
    else:
        body = (f"const sim::RuleInfo {name}{{\n"
                f"    rule::{name}, sim::Severity::{severity},\n"
                f'    "{summary_lit}"}};\n\n'
                f"void {name}_findings(const Locator &loc, const sim::SimResult &result,\n"
                f"{' ' * (len(name) + 15)}std::vector<LocatedFinding> &out) {{\n"
                f"  // TODO: report at the first manifest driver involved, e.g.\n"
                f"  //   if (const int i = loc.index(name); loc.is_manifest(i))\n"
                f"  //     out.push_back({{make_finding({name}.id, {{name}}, \"...\"), "
                f"loc.driver(i).location}});\n"
                f"  static_cast<void>(loc);\n"
                f"  static_cast<void>(result);\n"
                f"  static_cast<void>(out);\n"
                f"}}\n")
    return head + body + "\n} // namespace fltsim::check::detail\n"


def plan(root, rule_id, severity, summary, driver_rule):
    """{relative path: new text} for every file, or Refused."""
    if not ID.match(rule_id) or len(rule_id) > 60:
        raise Refused(f"'{rule_id}' is not a rule id: kebab case, lower-case letters and digits "
                      f"in words joined by single '-', starting with a letter (e.g. "
                      f"legacy-not-boot-start), at most 60 characters")
    name = rule_id.replace("-", "_")
    if name in CXX_KEYWORDS or keyword.iskeyword(name) or name in RESERVED:
        raise Refused(f"'{rule_id}': its C++ name '{name}' is a keyword or a name the rule "
                      f"files already use")
    if severity not in SEVERITIES:
        raise Refused(f"severity must be one of {', '.join(SEVERITIES)}")

    texts = {rel: read(root, rel) for rel in (RULES_HPP, CATALOGUE, SUPPORT, RULES_CPP, CMAKE,
                                                DOC, ENGINE_IDS)}
    quoted = f'"{rule_id}"'
    for rel in (RULES_HPP, ENGINE_IDS):
        if quoted in texts[rel]:
            raise Refused(f"'{rule_id}' is already a rule ({rel})")
    if f"\n## {rule_id}\n" in texts[DOC]:
        raise Refused(f"'{rule_id}' already has a section in {DOC}")
    rule_file = f"check/src/rules/{name}.cpp"
    fixture_dir = f"{FIXTURES}/{rule_id}"
    for rel in (rule_file, fixture_dir):
        if (root / rel).exists():
            raise Refused(f"'{rule_id}': {rel} already exists")
    word = re.compile(r"\b" + re.escape(name) + r"\b")
    for rel in (RULES_HPP, CATALOGUE, SUPPORT, RULES_CPP):
        if word.search(texts[rel]):
            raise Refused(f"'{rule_id}': the C++ name '{name}' is already used in {rel}")

    out = {}
    out[rule_file] = rule_source(rule_id, name, severity, summary, driver_rule)
    out[RULES_HPP] = insert_before(
        texts[RULES_HPP], "} // namespace rule",
        f'inline constexpr std::string_view {name} = "{rule_id}";\n', "the id constant",
        RULES_HPP)
    entry = f"        &detail::{name}{'.info' if driver_rule else ''},\n"
    out[CATALOGUE] = add_array_entry(texts[CATALOGUE], ("const sim::RuleInfo *", "own"), entry,
                                     "the catalogue's list of check's own rules", CATALOGUE)
    kind = "DriverRule" if driver_rule else "sim::RuleInfo"
    support = add_declaration(texts[SUPPORT], f"extern const {kind} {name}; // rules/{name}.cpp\n",
                              SUPPORT)
    if driver_rule:
        out[RULES_CPP] = add_array_entry(texts[RULES_CPP], ("const detail::DriverRule *", "rules"),
                                         f"      &detail::{name},\n", "driver_rules()'s list",
                                         RULES_CPP)
    else:
        support = insert_before(
            support, "} // namespace fltsim::check::detail",
            f"/// The {rule_id} findings of the checked scenario (rules/{name}.cpp).\n"
            f"void {name}_findings(const Locator &loc, const sim::SimResult &result,\n"
            f"{' ' * (len(name) + 15)}std::vector<LocatedFinding> &out);\n\n",
            "the findings function's declaration", SUPPORT)
        out[RULES_CPP] = insert_after(texts[RULES_CPP],
                                      "detail::resolver_fact_findings(loc, result, out);",
                                      f"  detail::{name}_findings(loc, result, out);\n",
                                      "the call in run_check_rules()", RULES_CPP)
    out[SUPPORT] = support

    cmake_lines = texts[CMAKE].splitlines(keepends=True)
    last = max((i for i, l in enumerate(cmake_lines) if l.strip().startswith("src/rules/")),
               default=None)
    if last is None:
        raise Refused(f"{CMAKE}: cannot find the src/rules/ sources")
    line = cmake_lines[last]
    indent = line[:len(line) - len(line.lstrip())]
    if line.rstrip().endswith(")"):  # the last source closes add_library(
        cmake_lines[last] = line.rstrip()[:-1] + "\n"
        cmake_lines.insert(last + 1, f"{indent}src/rules/{name}.cpp)\n")
    else:
        cmake_lines.insert(last + 1, f"{indent}src/rules/{name}.cpp\n")
    out[CMAKE] = "".join(cmake_lines)

    doc = doc_table_row(texts[DOC],
                        f"| [{rule_id}](#{rule_id}) | {severity} | {summary_line(summary)} |\n",
                        DOC)
    doc = doc.rstrip("\n") + "\n\n" + (
        f"## {rule_id}\n\n"
        f"**{severity.capitalize()}.** TODO: what the rule reports, the model rules it cites "
        f"(`docs/model.md#...`),\nwhere it is reported and how to fix it.\n\n"
        f"*Fixture:* `{fixture_dir}/`.\n")
    out[DOC] = doc

    driver = camel(rule_id)
    out[f"{fixture_dir}/fail/{name}.yaml"] = (
        f"# TODO: a manifest on which `fltsim check` reports {rule_id} (the fixture test fails\n"
        f"# until it does); say which model rule makes it a finding.\n"
        f"name: {driver}\ngroup: FSFilter Activity Monitor\nstart: demand\naltitude: 362340\n")
    out[f"{fixture_dir}/pass/{name}.yaml"] = (
        f"# TODO: the smallest change to fail/{name}.yaml that fixes it: `fltsim check\n"
        f"# --fail-on warning` reports nothing here.\n"
        f"name: {driver}\ngroup: FSFilter Activity Monitor\nstart: demand\naltitude: 362340\n")
    return out


def summary_line(summary):
    """The table's lower-case summary, without the final period."""
    s = summary.rstrip(".")
    return s if s[:2].isupper() else s[:1].lower() + s[1:]


def main(argv):
    ap = argparse.ArgumentParser(
        description="Adds a fltsim check rule (see the module docstring for what it writes).")
    ap.add_argument("rule_id", metavar="RULE-ID")
    ap.add_argument("--driver-rule", action="store_true",
                    help="a rule about one manifest driver alone (run by driver_rules())")
    ap.add_argument("--severity", default="warning", choices=SEVERITIES)
    ap.add_argument("--summary", default=None,
                    help="the catalogue's one-line summary (default: a TODO)")
    ap.add_argument("--root", default=str(Path(__file__).resolve().parent.parent),
                    help="the fltsim tree to edit (default: this script's)")
    args = ap.parse_args(argv)
    root = Path(args.root)
    summary = args.summary or f"TODO: one-line summary of {args.rule_id}."
    try:
        files = plan(root, args.rule_id, args.severity, summary, args.driver_rule)
    except Refused as e:
        print(f"new-check-rule: refused: {e}", file=sys.stderr)
        return 2
    changed = {}  # C++ file -> the line ranges this script wrote, for clang-format --lines
    for rel, text in files.items():
        p = root / rel
        existed = p.exists()
        before = p.read_text(encoding="utf-8").splitlines() if existed else []
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        print(f"{'edited' if existed else 'wrote'} {rel}")
        if p.suffix in (".cpp", ".hpp"):
            ops = difflib.SequenceMatcher(a=before, b=text.splitlines(), autojunk=False)
            changed[p] = [(j1 + 1, j2) for tag, _, _, j1, j2 in ops.get_opcodes()
                          if tag in ("insert", "replace")]
    fmt = shutil.which("clang-format")
    if fmt:  # the repository's .clang-format, on the lines written here only
        for p, ranges in changed.items():
            if ranges:
                subprocess.run([fmt, "-i"] + [f"--lines={a}:{b}" for a, b in ranges] + [str(p)],
                               check=True)
    else:
        print("new-check-rule: clang-format is not installed: format the C++ files it wrote")
    name = args.rule_id.replace("-", "_")
    print(f"""next steps:
  1. the logic in check/src/rules/{name}.cpp, and its summary there and in docs/rules.md;
  2. the fixtures {FIXTURES}/{args.rule_id}/fail/ (reports it) and pass/ (the fix), optional base.yaml;
  3. the section in docs/rules.md;
  4. build, then scripts/check-outputs.py BUILD/ui/cli/fltsim --update (the SARIF rule list
     grows) and ctest (test_cli's check rules cases run the fixtures).""")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
