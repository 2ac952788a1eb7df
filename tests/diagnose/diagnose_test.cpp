// `fltsim diagnose` (docs/diagnose.md): a golden per input form, the build guess on the corpus
// inputs whose source states their Windows, exit codes, and --add against `fleet` and `plan` on
// every corpus machine.
#include <cstdlib>
#include <fstream>
#include <set>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "fltsim/diagnose/diagnose.hpp"
#include "fltsim/fleet/fleet.hpp"
#include "fltsim/fleet/fleet_input.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/inputs/machine_evidence.hpp"
#include "fltsim/io/platform.hpp"
#include "fltsim/planner/planner.hpp"

namespace fs = std::filesystem;
using fltsim::test::run_fltsim;
using namespace fltsim;

namespace {

/// Runs from the source root so that the paths in the outputs are the same on every machine.
struct AtSourceRoot {
  fs::path before = fs::current_path();
  AtSourceRoot() { fs::current_path(FLTSIM_SOURCE_ROOT); }
  ~AtSourceRoot() { fs::current_path(before); }
};

std::string slurp(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Compares with tests/diagnose/golden/NAME; FLTSIM_UPDATE_GOLDEN=1 writes it instead. Every
/// golden was reviewed line by line against its input (tests/diagnose/README.md).
void golden(const std::string &name, const std::string &actual) {
  const fs::path p = fs::path(FLTSIM_SOURCE_ROOT) / "tests/diagnose/golden" / name;
  if (std::getenv("FLTSIM_UPDATE_GOLDEN")) {
    std::ofstream(p, std::ios::binary) << actual;
    return;
  }
  INFO("golden " << name << " (FLTSIM_UPDATE_GOLDEN=1 rewrites it)");
  CHECK(slurp(p) == actual);
}

nlohmann::json diagnose_json(const std::vector<std::string> &inputs, int expect_code = -1) {
  std::vector<std::string> args{"diagnose", "--format", "json"};
  args.insert(args.end(), inputs.begin(), inputs.end());
  const auto r = run_fltsim(args);
  INFO(r.err);
  if (expect_code >= 0)
    CHECK(r.code == expect_code);
  REQUIRE(r.code != 2);
  return nlohmann::json::parse(r.out);
}

std::vector<std::string> names(const nlohmann::json &j) {
  std::vector<std::string> out;
  for (const auto &f : j["filters"])
    out.push_back(f["name"].get<std::string>());
  return out;
}

const nlohmann::json &filter(const nlohmann::json &j, const std::string &name) {
  for (const auto &f : j["filters"])
    if (f["name"] == name)
      return f;
  FAIL("no filter " << name);
  return j;
}

} // namespace

// ---- a golden per input form ----------------------------------------------------------------
// What each golden must say was read from the input by hand first; the CHECKs restate it.

TEST_CASE("capture: Windows 11 24H2, 13 inbox filters in Frame 0") {
  AtSourceRoot here;
  const std::string in = "tests/corpus/fltmc/09-win11-26100-xps15-ucpd-bfs-unionfs.txt";
  const auto j = diagnose_json({in}, 0);
  CHECK(j["windows"]["baseline"] == "windows-11-24h2");
  CHECK(j["windows"]["builds"][0] == "10.0.26100");
  CHECK(j["filters"].size() == 13);
  for (const auto &f : j["filters"]) {
    CHECK(f["origin"] == "inbox");
    CHECK(f["frame"] == 0);
  }
  CHECK(filter(j, "UCPD")["altitude"] == "385250.5");
  CHECK(filter(j, "FileInfo")["altitude"] == "40500");
  CHECK(j["baseline"]["added"].empty());
  const auto r = run_fltsim({"diagnose", in});
  golden("09-capture.txt", r.out);
}

TEST_CASE("capture with legacy filters: the frames explained") {
  AtSourceRoot here;
  const std::string in = "tests/corpus/fltmc/01-ntdebugging-avlegacy-encryptionlegacy-before.txt";
  const auto j = diagnose_json({in});
  // The capture: AVLegacy 389998.99 and EncryptionLegacy 149998.99 (<Legacy>), AVMiniFilter
  // 328000, luafv 135000, FileInfo 45000, all in Frame 0.
  CHECK(names(j) == std::vector<std::string>{"AVLegacy", "EncryptionLegacy", "AVMiniFilter",
                                             "luafv", "FileInfo"});
  CHECK(filter(j, "AVLegacy")["kind"] == "legacy");
  CHECK(filter(j, "AVMiniFilter")["frame"] == 0);
  CHECK(filter(j, "AVMiniFilter")["origin"] == "unknown");
  CHECK(j["frames"].size() == 1);
  bool inversion = false;
  for (const auto &f : j["findings"])
    inversion = inversion || f["code"] == "altitude-inversion";
  CHECK(inversion); // AVMiniFilter 328000 sits below EncryptionLegacy 149998.99
  CHECK(filter(j, "AVMiniFilter")["below_legacy"] == nlohmann::json{"EncryptionLegacy"});
  CHECK(filter(j, "luafv")["below_legacy"].empty()); // 135000 < 149998.99: in order
  const auto r = run_fltsim({"diagnose", in});
  CHECK(r.code == 1);
  golden("01-capture-legacy.txt", r.out);
}

TEST_CASE("capture and event log: the load order") {
  AtSourceRoot here;
  const std::string cap = "tests/corpus/observed/01-en-fltmc-prompt.txt";
  const std::string ev = "tests/corpus/observed/01-en-fltmc-prompt.events.txt";
  const auto j = diagnose_json({cap, ev});
  REQUIRE(j["load_order"].is_object());
  CHECK(j["load_order"]["observed"][0] == "FileInfo");
  CHECK(j["evidence"][1]["kind"] == "event-log");
  const auto r = run_fltsim({"diagnose", cap, ev});
  golden("01-capture-events.txt", r.out);
  // An event log alone gives no stack.
  const auto alone = run_fltsim({"diagnose", ev});
  CHECK(alone.code == 2);
  CHECK(alone.err.find("load order only") != std::string::npos);
}

// A hive: not readable under wine (tests/machine/machine_import_test.cpp).
TEST_CASE("registry: a SYSTEM hive and the same machine's .reg export" *
          doctest::skip(fltsim::io::running_under_wine())) {
  AtSourceRoot here;
  const auto hive = run_fltsim({"diagnose", "tests/corpus/machine/system_small.hiv"});
  INFO(hive.err);
  CHECK(hive.code != 2);
  golden("system_small-hive.txt", hive.out);
  const auto reg = run_fltsim({"diagnose", "tests/corpus/machine/system_small.reg"});
  INFO(reg.err);
  CHECK(reg.code == hive.code);
  golden("system_small-reg.txt", reg.out);
  const auto j = diagnose_json({"tests/corpus/machine/system_small.hiv"});
  CHECK(j["scenario_from"] == "registry");
}

TEST_CASE("NtObjectManager export") {
  AtSourceRoot here;
  const std::string in = "tests/corpus/observed/24-ntobject-get-filterdriver.json";
  const auto j = diagnose_json({in});
  CHECK(j["evidence"][0]["detail"] == "Get-FilterDriver");
  const auto r = run_fltsim({"diagnose", in});
  golden("24-ntobject.txt", r.out);
}

TEST_CASE("LogScout bundle folder: both listings, the console log skipped") {
  AtSourceRoot here;
  const std::string in = "tests/diagnose/bundles/logscout";
  const auto j = diagnose_json({in});
  CHECK(j["evidence"].size() == 2); // FLTMC_Filters.out, FLTMC_Instances.out
  CHECK(names(j) ==
        std::vector<std::string>{"WdFilter", "storqosflt", "wcifs", "CldFlt", "FileCrypt"});
  const auto r = run_fltsim({"diagnose", in});
  CHECK(r.err.find("SQL_LogScout_Console.log") != std::string::npos);
  golden("logscout-bundle.txt", r.out);
  golden("logscout-bundle.md", run_fltsim({"diagnose", "--format", "markdown", in}).out);
  golden("logscout-bundle.json", run_fltsim({"diagnose", "--format", "json", in}).out);
}

TEST_CASE("registry and capture together: compare's differences") {
  AtSourceRoot here;
  const auto r = run_fltsim({"diagnose", "tests/corpus/machine/system_small.reg",
                             "tests/corpus/fltmc/09-win11-26100-xps15-ucpd-bfs-unionfs.txt"});
  INFO(r.err);
  CHECK(r.code == 1); // not the same machine: they disagree
  const auto j = diagnose_json({"tests/corpus/machine/system_small.reg",
                                "tests/corpus/fltmc/09-win11-26100-xps15-ucpd-bfs-unionfs.txt"});
  REQUIRE(j["comparison"].is_object());
  CHECK(j["comparison"]["match"] == false);
  CHECK(!j["comparison"]["differences"].empty());
}

// A hive: not readable under wine (tests/machine/machine_import_test.cpp).
TEST_CASE("a folder with a SYSTEM hive and the capture of that machine: they agree, exit 0" *
          doctest::skip(fltsim::io::running_under_wine())) {
  AtSourceRoot here;
  // bundles/hive-and-capture: system_small.hiv as SYSTEM, and FLTMC_Filters.out as fltmc prints
  // that machine (OldLegacy <Legacy>, three Activity Monitor filters in Frame 1, FileInfo in 0).
  const auto j = diagnose_json({"tests/diagnose/bundles/hive-and-capture"}, 0);
  REQUIRE(j["evidence"].size() == 2);
  CHECK(j["evidence"][0]["kind"] == "capture");
  CHECK(j["evidence"][1]["kind"] == "registry");
  CHECK(j["scenario_from"] == "registry");
  REQUIRE(j["comparison"].is_object());
  CHECK(j["comparison"]["match"] == true);
  CHECK(filter(j, "GammaMon")["instances"] == 1);
  CHECK(j["frames"][1]["reason"]["legacy_below"] == "OldLegacy");
}

// ---- exit codes -------------------------------------------------------------------------------

TEST_CASE("exit codes: 2 for unreadable input, a missing file, two configurations") {
  AtSourceRoot here;
  CHECK(run_fltsim({"diagnose", "no/such/file.txt"}).code == 2);
  const fs::path empty = fs::temp_directory_path() / "fltsim-diagnose-empty";
  fs::create_directories(empty);
  const auto nothing = run_fltsim({"diagnose", empty.string()});
  CHECK(nothing.code == 2);
  CHECK(nothing.err.find("nothing fltsim reads here") != std::string::npos);
  fs::remove_all(empty);
  // A file named on the command line that is no evidence: an error (in a folder: skipped).
  const auto readme =
      run_fltsim({"diagnose", "tests/diagnose/bundles/logscout/SQL_LogScout_Console.log"});
  CHECK(readme.code == 2);
  CHECK(readme.err.find("not machine evidence") != std::string::npos);
  CHECK(run_fltsim({"diagnose", "tests/corpus/observed/21-fltmc-volumes-only.txt"}).code == 2);
  CHECK(run_fltsim({"diagnose", "tests/corpus/observed/29-partial-cut-mid-row.txt"}).code == 2);
  // A row that fits no column: exit 2, as for import; with --lenient it is reported and skipped.
  CHECK(run_fltsim({"diagnose", "tests/corpus/observed/36-rows-unreadable.txt"}).code == 2);
  const auto lenient =
      run_fltsim({"diagnose", "--lenient", "tests/corpus/observed/36-rows-unreadable.txt"});
  CHECK(lenient.code != 2);
  CHECK(lenient.err.find("warning[observed-row]") != std::string::npos);
  CHECK(run_fltsim({"diagnose", "tests/corpus/machine/system_small.reg",
                    "tests/corpus/machine/system_small.hiv"})
            .code == 2);
  CHECK(run_fltsim({"diagnose", "--baseline", "windows-95",
                    "tests/corpus/fltmc/09-win11-26100-xps15-ucpd-bfs-unionfs.txt"})
            .code == 2);
}

TEST_CASE("--baseline overrides the guess, and the differences follow it") {
  AtSourceRoot here;
  const auto j = diagnose_json({"--baseline", "windows-10-22h2",
                                "tests/corpus/fltmc/09-win11-26100-xps15-ucpd-bfs-unionfs.txt"},
                               0); // filters added to a baseline are no finding by themselves
  CHECK(j["windows"]["baseline"] == "windows-10-22h2");
  CHECK(j["windows"]["source"] == "option");
  // bfs and UnionFS are no inbox filters of 22H2.
  const auto added = j["baseline"]["added"].get<std::vector<std::string>>();
  CHECK(std::set<std::string>(added.begin(), added.end()) ==
        std::set<std::string>{"bfs", "UnionFS"});
}

// ---- which Windows ------------------------------------------------------------------------------

TEST_CASE("the build guess is right on every corpus capture whose source states its Windows") {
  AtSourceRoot here;
  // tests/corpus/README.md: the Windows each source states.
  const std::vector<std::pair<std::string, std::string>> stated{
      {"tests/corpus/fltmc/09-win11-26100-xps15-ucpd-bfs-unionfs.txt", "windows-11-24h2"},
      {"tests/corpus/observed/54-pastebin-win11-24h2-line-gutter-pl.txt", "windows-11-24h2"},
      // "Windows 10 Home 10.0.19045" (pjsacchet/Minifilter-Driver's README): guessed.
      {"tests/corpus/fltmc/10-pjsacchet-minifilter-driver-readme-370030.txt", "windows-10-22h2"},
      // The console banner "Microsoft Windows [Version 10.0.19045.3803]": stated.
      {"tests/corpus/observed/01-en-fltmc-prompt.txt", "windows-10-22h2"},
      // "a Windows 11 machine with containers" with UCPD, bfs and UnionFS.
      {"tests/corpus/observed/59-obsidian-callout-win11-fsdepends.md", "windows-11-24h2"},
  };
  for (const auto &[in, want] : stated) {
    CAPTURE(in);
    const auto r = run_fltsim({"diagnose", "--format", "json", "--lenient", in});
    INFO(r.err);
    REQUIRE(r.code != 2);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["windows"]["baseline"] == want);
  }
  // Sources that say "Windows 10" and no build: the best candidate is a Windows 10 baseline,
  // never a Server or Windows 11 one (whether it fits well enough to be named, or stays the
  // nearest of an unknown build). FileInfo's altitude does not tell the build: 45000 on
  // winfsp#334's 2020 machine, 40500 on the 16299 and 18362 hives of tests/corpus/machine/real/.
  for (const char *in : {"tests/corpus/fltmc/11-winfsp-334-rclone-win10-fileinfo45000.txt",
                         "tests/corpus/fltmc/07-alfarom256-fltkd-frames-win10-single-frame.txt"}) {
    CAPTURE(in);
    const auto r = run_fltsim({"diagnose", "--format", "json", "--lenient", in});
    INFO(r.err);
    REQUIRE(r.code != 2);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE_FALSE(j["windows"]["candidates"].empty());
    CHECK(j["windows"]["candidates"][0]["baseline"].get<std::string>().starts_with("windows-10-"));
    if (!j["windows"]["baseline"].is_null())
      CHECK(j["windows"]["baseline"].get<std::string>().starts_with("windows-10-"));
  }
}

// ---- --add: the same as fleet and plan on every corpus machine ----------------------------------

namespace {

struct Machine {
  std::string path;    ///< as diagnose reads it
  std::string capture; ///< a capture's text, for a fleet machine folder ("" = registry)
};

std::vector<Machine> corpus_machines() {
  std::vector<Machine> out;
  const fs::path root = FLTSIM_SOURCE_ROOT;
  for (const char *dir : {"tests/corpus/fltmc", "tests/corpus/observed"}) {
    std::vector<fs::path> files;
    for (const auto &e : fs::directory_iterator(root / dir))
      files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path &f : files) {
      const std::string name = f.filename().string();
      if (name.starts_with("LICENSE") || f.extension() == ".expect" ||
          name.find(".events.") != std::string::npos)
        continue;
      out.push_back({f.string(), slurp(f)});
    }
  }
  out.push_back({(root / "tests/corpus/machine/system_small.hiv").string(), ""});
  out.push_back({(root / "tests/corpus/machine/system_small.reg").string(), ""});
  return out;
}

} // namespace

TEST_CASE("--add: diagnose classifies and fixes each corpus machine as fleet and plan do") {
  const fs::path root = FLTSIM_SOURCE_ROOT;
  const std::vector<std::string> changes{
      (root / "tests/fleet/fixtures/contoso_av.yaml").string(),
      (root / "tests/fleet/fixtures/contoso_av_329100.yaml").string(),
      (root / "tests/diagnose/changes/legacy_av.yaml").string(),
      (root / "tests/diagnose/changes/late_activity_monitor.yaml").string(),
      (root / "tests/corpus/inf/wds-avscan.inf").string()};
  const fs::path tmp = fs::temp_directory_path() / "fltsim-diagnose-fleet";
  fs::remove_all(tmp);
  std::size_t machines = 0, compared = 0, problems = 0, fixes = 0, fleet_reads_reg = 0,
              fleet_reg_differs = 0, refused_by_both = 0;
  for (const Machine &m : corpus_machines()) {
    CAPTURE(m.path);
    const inputs::MachineEvidence ev = inputs::read_machine_evidence({m.path}, {});
    if (ev.has_errors())
      continue; // partial and refused captures: diagnose stops (exit 2), as fleet does
    ++machines;
    // fleet's own reading of the machine: a machine folder holding the capture (fltmc.txt), or,
    // for a registry, the machine import (fleet reads no hive).
    sim::Scenario before;
    std::optional<sim::Scenario> fleet_reg; // a .reg export as a fleet machine folder reads it
    if (m.capture.empty() && fs::path(m.path).extension() == ".reg") {
      const fs::path dir = tmp / ("reg" + std::to_string(machines));
      fs::create_directories(dir);
      fs::copy_file(m.path, dir / fs::path(m.path).filename());
      fleet_reg = fleet::load_machine_path(dir, "m").scenario;
      REQUIRE(fleet_reg);
    }
    if (!m.capture.empty()) {
      const fs::path dir = tmp / std::to_string(machines);
      fs::create_directories(dir);
      std::ofstream(dir / "fltmc.txt", std::ios::binary) << m.capture;
      const fleet::MachineRecord rec = fleet::load_machine_path(dir, "m");
      if (!rec.scenario) { // a partial capture: refused by both
        CHECK_FALSE(diagnose::diagnose(ev).diagnosis.has_value());
        ++refused_by_both;
        continue;
      }
      before = *rec.scenario;
    } else {
      std::vector<sim::Diagnostic> errors;
      before = *diagnose::machine_scenario(ev, errors);
    }
    for (const std::string &c : changes) {
      CAPTURE(c);
      fleet::Change change;
      for (auto &d : inputs::load_manifest_file(c).drivers)
        change.add.push_back(std::move(d));
      diagnose::Options opt;
      opt.change = change;
      const diagnose::DiagnoseResult res = diagnose::diagnose(ev, opt);
      REQUIRE(res.diagnosis);
      const diagnose::WhatIf &w = *res.diagnosis->what_if;
      // The machine diagnose reads is the machine fleet reads.
      REQUIRE(res.diagnosis->scenario.drivers.size() == before.drivers.size());
      for (std::size_t k = 0; k < before.drivers.size(); ++k) {
        CHECK(res.diagnosis->scenario.drivers[k].name == before.drivers[k].name);
        CHECK(res.diagnosis->scenario.drivers[k].start == before.drivers[k].start);
      }
      const fleet::MachineResult f =
          fleet::evaluate_machine(w.result.machine, w.result.build, before, change);
      CHECK(fleet::to_string(w.result.outcome) == std::string(fleet::to_string(f.outcome)));
      CHECK(w.result.responsible == f.responsible);
      CHECK(w.result.moved == f.moved);
      REQUIRE(w.result.new_findings.size() == f.new_findings.size());
      for (std::size_t k = 0; k < f.new_findings.size(); ++k) {
        CHECK(w.result.new_findings[k].code == f.new_findings[k].code);
        CHECK(w.result.new_findings[k].drivers == f.new_findings[k].drivers);
      }
      if (fleet_reg) {
        // A fleet machine folder reads a .reg export with the manifest reader, which keeps the
        // services but not the machine's ServiceGroupOrder\List or GroupOrderList; diagnose reads
        // it as `fltsim import` does. Where that changes the outcome it is said, not hidden
        // (system_small.reg lists no FSFilter Content Screener group: avscan's unknown-group).
        const fleet::MachineResult fr = fleet::evaluate_machine("m", "", *fleet_reg, change);
        if (fr.outcome != w.result.outcome && ++fleet_reg_differs)
          WARN_MESSAGE(false, "fleet's reading of " << m.path << " gives " << to_string(fr.outcome)
                                                    << ", the machine import "
                                                    << to_string(w.result.outcome));
        else
          ++fleet_reads_reg;
      }
      ++compared;
      const bool problem = fleet::is_problem(f.outcome);
      problems += problem ? 1 : 0;
      CHECK(w.fix.has_value() == problem);
      if (!w.fix)
        continue;
      ++fixes;
      // `fltsim plan` on the machine with the change.
      const planner::PlanResult p = planner::plan(fleet::apply_change(before, change));
      CHECK(planner::to_string(w.fix->status) == std::string(planner::to_string(p.status)));
      REQUIRE(w.fix->dummies.size() == p.dummies.size());
      for (std::size_t k = 0; k < p.dummies.size(); ++k) {
        CHECK(w.fix->dummies[k].name == p.dummies[k].name);
        CHECK(w.fix->dummies[k].group == p.dummies[k].group);
        CHECK(w.fix->dummies[k].altitude == p.dummies[k].altitude);
      }
    }
  }
  fs::remove_all(tmp);
  MESSAGE("--add agreement: " << machines << " machines read, " << refused_by_both
                              << " refused by both, " << compared / changes.size()
                              << " compared with fleet's own reading, " << compared << " runs, "
                              << problems << " problems, " << fixes << " fixes, " << fleet_reads_reg
                              << " runs agree with fleet's reading of a .reg export, "
                              << fleet_reg_differs << " do not (warned)");
  CHECK(compared / changes.size() >= 40);
  CHECK(problems > 0);
}
