// The Windows baselines compiled into the binary (data/baselines/, docs/baselines.md): each one
// loads, simulates without input errors, and the builds with a complete public `fltmc` capture
// reproduce that capture's frames; `baseline:` in a scenario adds the drivers first, overridable
// by name.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "fltsim/baselines/baselines.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/observed/observed.hpp"
#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/groups.hpp"
#include "support.hpp"

using namespace fltsim;
using baselines::Baseline;

namespace {

const baselines::Baseline &must_find(const std::string &id) {
  const Baseline *b = baselines::find_baseline(id);
  REQUIRE_MESSAGE(b != nullptr, id);
  return *b;
}

sim::Scenario scenario_of(std::initializer_list<const char *> ids) {
  std::vector<const Baseline *> parts;
  for (const char *id : ids)
    parts.push_back(&must_find(id));
  return baselines::with_baselines(sim::Scenario{}, parts);
}

/// "name@altitude#frame" of every filter in the simulated frames.
std::set<std::string> simulated_filters(const sim::SimResult &r) {
  std::set<std::string> out;
  for (const sim::Frame &f : r.frames)
    for (const sim::FrameFilter &ff : f.filters)
      out.insert(ff.name + "@" + ff.altitude.text() + "#" + std::to_string(f.id));
  return out;
}

const sim::Driver *driver_named(const sim::Scenario &sc, const std::string &name) {
  const int i = sc.find_driver(name);
  return i < 0 ? nullptr : &sc.drivers[static_cast<std::size_t>(i)];
}

const sim::Diagnostic *find_code(const manifest::ScenarioLoad &l, const std::string &code) {
  for (const auto &d : l.diagnostics)
    if (d.code == code)
      return &d;
  return nullptr;
}

} // namespace

TEST_SUITE("baselines") {
  TEST_CASE("every bundled baseline file loads without a diagnostic") {
    for (const sim::Diagnostic &d : baselines::builtin_baseline_errors())
      FAIL_CHECK(sim::format_diagnostic(d));
    const auto all = baselines::builtin_baselines();
    std::set<std::string> ids;
    for (const Baseline &b : all)
      ids.insert(b.id);
    // The builds and roles data/baselines/README.md lists.
    for (const char *id : {"windows-10-1809", "windows-10-22h2", "windows-11-22h2-23h2",
                           "windows-11-24h2", "windows-server-2019", "windows-server-2022",
                           "windows-server-2025", "role-dfs", "role-containers"})
      CHECK_MESSAGE(ids.count(id) == 1, std::string(id));
    CHECK(all.size() == 9);
    for (const Baseline &b : all) {
      CAPTURE(b.id);
      CHECK_FALSE(b.title.empty());
      CHECK_FALSE(b.sources.empty());
      CHECK_FALSE(b.drivers.empty());
      CHECK(b.provenance.size() == b.drivers.size());
      CHECK((b.kind == baselines::BaselineKind::overlay || !b.builds.empty()));
      CHECK((b.kind == baselines::BaselineKind::overlay) == !b.overlay_of.empty());
      for (const sim::Driver &d : b.drivers)
        CHECK(d.location.file == "data/baselines/" + b.id + ".yaml");
      // No public record gives every start type of any build yet (README, "Why no baseline is
      // complete"); a file that claims `complete` must assume nothing, which the reader checks.
      CHECK(b.completeness == baselines::Completeness::partial);
    }
  }

  TEST_CASE("every baseline, alone and with each overlay it is meant for, simulates cleanly") {
    for (const Baseline &b : baselines::builtin_baselines()) {
      CAPTURE(b.id);
      std::vector<std::vector<const Baseline *>> combos;
      if (b.kind == baselines::BaselineKind::build) {
        combos.push_back({&b});
        for (const Baseline &o : baselines::builtin_baselines())
          if (o.kind == baselines::BaselineKind::overlay &&
              (std::count(o.overlay_of.begin(), o.overlay_of.end(), b.id) ||
               std::count(o.overlay_of.begin(), o.overlay_of.end(), "all")))
            combos.push_back({&b, &o});
      } else {
        combos.push_back({&b});
      }
      for (const auto &parts : combos) {
        const sim::Scenario sc = baselines::with_baselines(sim::Scenario{}, parts);
        const sim::SimResult r = sim::simulate(sc);
        for (const sim::Diagnostic &d : r.input_errors)
          FAIL_CHECK(sim::format_diagnostic(d));
        for (const sim::Finding &f : r.findings)
          FAIL_CHECK(std::string(f.code + ": " + f.message));
        // Windows' inbox filters fit one frame: Frame 0 (docs/model.md#r1).
        CHECK(r.frames.size() == 1);
      }
    }
  }

  TEST_CASE("22H2 and 24H2 reproduce the frames of the complete fltmc captures they cite") {
    struct Capture {
      const char *baseline;
      const char *source_id;             ///< the capture's id in the baseline's `sources`
      const char *file;                  ///< tests/corpus/fltmc/
      std::set<std::string> third_party; ///< filters of the capture that Windows does not ship
    };
    const Capture captures[] = {
        {"windows-10-22h2",
         "fltmc-pjsacchet-19045",
         "10-pjsacchet-minifilter-driver-readme-370030.txt",
         {"Minifilter-Driver"}},
        {"windows-11-24h2", "fltmc-xps15-26100", "09-win11-26100-xps15-ucpd-bfs-unionfs.txt", {}},
    };
    for (const Capture &c : captures) {
      const std::string id = c.baseline;
      CAPTURE(id);
      const Baseline &b = must_find(c.baseline);
      CHECK(b.find_source(c.source_id) != nullptr);
      const auto text = io::read_text_file(test::corpus_root() / "fltmc" / c.file);
      REQUIRE(text.text);
      const observed::ObservedStack obs = observed::parse_observed(*text.text, c.file);
      REQUIRE(obs.diagnostics.empty());
      std::set<std::string> observed;
      for (const auto &s : obs.sections)
        for (const auto &f : s.filters)
          if (!c.third_party.count(f.name))
            observed.insert(f.name + "@" + (f.altitude ? f.altitude->text() : "-") + "#" +
                            (f.frame ? std::to_string(*f.frame) : "-"));
      REQUIRE(observed.size() >= 11);
      const sim::SimResult r = sim::simulate(baselines::with_baselines(sim::Scenario{}, {{&b}}));
      CHECK(simulated_filters(r) == observed);
    }
  }

  TEST_CASE("the inbox exceptions cover the places where Windows disagrees with the list") {
    auto has = [](const char *id, const char *filter, const char *rule,
                  const char *value = nullptr) {
      for (const auto &x : must_find(id).inbox_exceptions)
        if (x.filter == filter && x.rule == rule && (!value || x.windows_value == value))
          return true;
      return false;
    };
    // FileInfo ran at 45000 before Windows 10 1709 and at 40500 since (the 16299 and 18362
    // hives of tests/corpus/machine/real/ on either side of 1809, 40500 in both).
    CHECK(has("windows-10-1809", "FileInfo", "altitude-allocated-elsewhere", "40500"));
    CHECK(has("windows-10-22h2", "FileInfo", "altitude-allocated-elsewhere", "40500"));
    CHECK(has("windows-11-24h2", "FileInfo", "altitude-allocated-elsewhere", "40500"));
    CHECK(
        driver_named(scenario_of({"windows-10-1809"}), "FileInfo")->instances[0].altitude.text() ==
        "40500");
    // wcifs: its service key's Group is FSFilter Virtualization, its altitudes 189900 and 189899
    // are in FSFilter HSM's range (every Windows 10 hive of the corpus).
    CHECK(has("windows-10-22h2", "wcifs", "altitude-out-of-group-range"));
    CHECK(has("windows-10-1809", "wcifs", "altitude-out-of-group-range"));
    for (const Baseline &b : baselines::builtin_baselines()) {
      if (b.kind != baselines::BaselineKind::build)
        continue;
      CAPTURE(b.id);
      CHECK(has(b.id.c_str(), "Wof", "altitude-out-of-group-range", "FSFilter Compression"));
      CHECK(
          has(b.id.c_str(), "WIMMount", "altitude-out-of-group-range", "FSFilter Infrastructure"));
      CHECK(has(b.id.c_str(), "CldFlt", "altitude-out-of-group-range", "180451"));
    }
    CHECK(has("windows-11-24h2", "bfs", "altitude-out-of-group-range", "150000"));
    CHECK(has("windows-11-24h2", "UnionFS", "not-allocated", "130850"));
    CHECK(has("windows-server-2025", "UnionFS", "not-allocated", "130850"));
    CHECK(has("windows-11-24h2", "applockerfltr", "altitude-allocated-elsewhere", "265000"));
    CHECK(has("role-dfs", "DfsDriver", "altitude-allocated-elsewhere")); // dfs.sys in the list
    // Every exception names sources the file defines.
    for (const Baseline &b : baselines::builtin_baselines())
      for (const auto &x : b.inbox_exceptions) {
        CAPTURE(b.id);
        CAPTURE(x.filter);
        CHECK_FALSE(x.sources.empty());
        for (const std::string &s : x.sources)
          CHECK(b.find_source(s) != nullptr);
      }
  }

  TEST_CASE("ids are case-insensitive and 22H2 / 23H2 name the shared file") {
    CHECK(baselines::find_baseline("Windows-11-24H2") == &must_find("windows-11-24h2"));
    CHECK(baselines::find_baseline("windows-11-22h2") == &must_find("windows-11-22h2-23h2"));
    CHECK(baselines::find_baseline("windows-11-23h2") == &must_find("windows-11-22h2-23h2"));
    CHECK(baselines::find_baseline("windows-12") == nullptr);
    CHECK_FALSE(baselines::builtin_baseline_text("windows-11-24h2").empty());
  }

  TEST_CASE("--baseline runs: one per build, overlays apply to every build") {
    const auto runs = baselines::resolve_baseline_runs(
        {"windows-server-2022", "role-dfs", "windows-server-2025"});
    REQUIRE(runs.error.empty());
    REQUIRE(runs.runs.size() == 2);
    CHECK(runs.runs[0].label() == "windows-server-2022+role-dfs");
    CHECK(runs.runs[1].label() == "windows-server-2025+role-dfs");
    const auto only = baselines::resolve_baseline_runs({"role-containers"});
    REQUIRE(only.runs.size() == 1);
    CHECK(only.runs[0].label() == "role-containers");
    const auto bad = baselines::resolve_baseline_runs({"windows-11-24h2", "windows-95"});
    CHECK(bad.runs.empty());
    CHECK(bad.error.find("unknown baseline 'windows-95'") != std::string::npos);
    CHECK(bad.error.find("windows-11-24h2") != std::string::npos); // lists the known ids
  }

  TEST_CASE("an overlay driver replaces the build's driver of the same name") {
    // role-containers gives bindflt and wcifs their instances (winfsp-498, winfsp-475).
    const sim::Scenario base = scenario_of({"windows-10-22h2"});
    const sim::Scenario both = scenario_of({"windows-10-22h2", "role-containers"});
    const sim::Driver *b = driver_named(both, "bindflt");
    REQUIRE(b != nullptr);
    CHECK(b->location.file == "data/baselines/role-containers.yaml");
    // Replaced in place: each name once.
    std::set<std::string> names;
    for (const sim::Driver &d : both.drivers)
      CHECK(names.insert(sim::ascii_lower(d.name)).second);
    CHECK(both.drivers.size() < base.drivers.size() + must_find("role-containers").drivers.size());
  }
}

TEST_SUITE("scenario baseline key") {
  TEST_CASE(
      "baseline: adds the build's drivers first, a scenario driver of that name replaces it") {
    const auto l = fltsim::inputs::parse_scenario_text(R"(scenario: mine on 24H2
baseline: windows-11-24h2
drivers:
  - {name: MyAV, group: FSFilter Anti-Virus, start: boot, altitude: 328999}
  - {name: wdfilter, group: FSFilter Anti-Virus, start: disabled, altitude: 328010}
)",
                                                       "s.yaml");
    REQUIRE_MESSAGE(l.scenario, (l.diagnostics.empty() ? "" : l.diagnostics[0].message));
    const sim::Scenario &sc = *l.scenario;
    const Baseline &b = must_find("windows-11-24h2");
    CHECK(sc.drivers.size() == b.drivers.size() + 1);
    CHECK(sc.drivers.front().name == b.drivers.front().name); // baseline drivers first
    CHECK(sc.drivers.back().name == "MyAV");
    const sim::Driver *wd = driver_named(sc, "WdFilter");
    REQUIRE(wd != nullptr);
    CHECK(wd->start == sim::StartType::disabled); // the scenario's entry, in the baseline's place
    CHECK(wd->location.file == "s.yaml");
    CHECK(l.baselines == std::vector<std::string>{"windows-11-24h2"});
    REQUIRE(l.without_baselines);
    CHECK(l.without_baselines->drivers.size() == 2);
    const sim::SimResult r = sim::simulate(sc);
    CHECK(r.input_errors.empty());
    CHECK(simulated_filters(r).count("MyAV@328999#0") == 1);
    CHECK(simulated_filters(r).count("WdFilter@328010#0") == 0);
  }

  TEST_CASE(
      "a build plus overlays is one machine, two builds or an unknown id are located errors") {
    const auto ok = fltsim::inputs::parse_scenario_text(
        "scenario: dfs\nbaseline: [windows-server-2025, role-dfs]\ndrivers: []\n", "s.yaml");
    REQUIRE(ok.scenario);
    CHECK(ok.scenario->find_driver("DfsDriver") >= 0);
    CHECK(ok.scenario->find_driver("UnionFS") >= 0);

    const auto two = fltsim::inputs::parse_scenario_text(
        "scenario: x\nbaseline: [windows-10-22h2, windows-11-24h2]\ndrivers: []\n", "s.yaml");
    CHECK_FALSE(two.scenario);
    const sim::Diagnostic *d = find_code(two, "unknown-baseline");
    REQUIRE(d != nullptr);
    CHECK(d->location.line == 2);
    CHECK(d->message.find("one Windows build") != std::string::npos);

    const auto bad = fltsim::inputs::parse_scenario_text(
        "scenario: x\nbaseline: windows-95\ndrivers: []\n", "s.yaml");
    const sim::Diagnostic *u = find_code(bad, "unknown-baseline");
    REQUIRE(u != nullptr);
    CHECK(u->location.line == 2);
    CHECK(u->location.column == 11);
    CHECK(u->message.find("windows-server-2025") != std::string::npos);
  }

  TEST_CASE("a scenario without baseline: is unchanged") {
    const auto l = fltsim::inputs::parse_scenario_text(
        "scenario: x\ndrivers:\n  - {name: A, start: boot, altitude: 370000}\n", "s.yaml");
    REQUIRE(l.scenario);
    CHECK(l.scenario->drivers.size() == 1);
    CHECK(l.baselines.empty());
    CHECK_FALSE(l.without_baselines);
  }
}

TEST_SUITE("baseline reader") {
  TEST_CASE("shape errors are located diagnostics") {
    const auto l = baselines::parse_baseline_yaml(R"(baseline: other
title: t
completeness: finished
sources:
  - {id: s1, what: w, url_or_citation: u, os_build: b}
drivers:
  - {name: A, start: boot, altitude: 370000, colour: red}
  - {name: B, start: boot, altitude: 370100}
provenance:
  B: {sources: [s2]}
inbox_exceptions:
  - {filter: Z, field: size, windows_value: "1", list_value: "2", rule: no-such-rule, source: [s1]}
)",
                                                  "x", "x.yaml");
    CHECK_FALSE(l.baseline);
    auto line_of = [&](const std::string &code, const std::string &text) {
      for (const auto &d : l.diagnostics)
        if (d.code == code && d.message.find(text) != std::string::npos)
          return d.location.line;
      return -1;
    };
    CHECK(line_of("wrong-value", "must equal its file name") == 1);
    CHECK(line_of("wrong-value", "completeness 'finished'") == 3);
    CHECK(line_of("unknown-key", "colour") == 7); // the scenario reader's driver rules
    CHECK(line_of("unknown-source", "'s2'") == 10);
    CHECK(line_of("wrong-value", "field 'size'") == 12);
    // Whether the rule exists is check's catalogue's business (tests/cli/baselines_cli_test.cpp).
    CHECK(line_of("wrong-value", "no-such-rule") == -1);
    CHECK(line_of("wrong-value", "'Z', which is not a driver") == 12);
  }

  TEST_CASE("a complete baseline may not assume a value") {
    const auto l = baselines::parse_baseline_yaml(R"(baseline: x
title: t
completeness: complete
sources: [{id: s1, what: w, url_or_citation: u, os_build: b}]
drivers: [{name: A, start: boot, altitude: 370000}]
provenance:
  A: {sources: [s1], assumed: [{field: start, value: boot, why: guess}]}
)",
                                                  "x", "x.yaml");
    CHECK_FALSE(l.baseline);
    REQUIRE_FALSE(l.diagnostics.empty());
    CHECK(l.diagnostics[0].message.find("partial, not complete") != std::string::npos);
    CHECK(l.diagnostics[0].location.line == 3);
  }

  TEST_CASE("broken YAML is a located yaml-syntax diagnostic, not an exception") {
    const auto l = baselines::parse_baseline_yaml("baseline: [x\n", "x", "x.yaml");
    CHECK_FALSE(l.baseline);
    REQUIRE(l.diagnostics.size() == 1);
    CHECK(l.diagnostics[0].code == "yaml-syntax");
  }
}
