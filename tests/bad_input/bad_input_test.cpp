// Bad-input corpus (docs/reliability.md): every file in tests/bad_input/ gives exactly the
// diagnostics listed here (code, line, column, in order) and makes `fltsim simulate` exit 2.
// Generated cases (100k drivers, every Limits field, the 64 MiB input limit, too many errors) are
// built at test time.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cli_support.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/observed/observed.hpp"
#include "fltsim/sim/engine.hpp"
#include "support.hpp"

using namespace fltsim;
namespace fs = std::filesystem;

namespace {

struct Expected {
  std::string code;
  int line = 0;
  int column = 0;
  bool operator==(const Expected &) const = default;
};

doctest::String toString(const std::vector<Expected> &v) {
  std::string s = "{";
  for (const Expected &e : v)
    s += " " + e.code + "@" + std::to_string(e.line) + ":" + std::to_string(e.column);
  return (s + " }").c_str();
}

fs::path corpus(const std::string &name) {
  return test::source_root() / "tests/bad_input" / name;
}

std::vector<Expected> located(const std::vector<sim::Diagnostic> &diags) {
  std::vector<Expected> out;
  for (const sim::Diagnostic &d : diags)
    out.push_back({d.code, d.location.line, d.location.column});
  return out;
}

/// What the tool reports for one file: reader diagnostics, or the engine's input errors for a
/// scenario that reads cleanly.
std::vector<sim::Diagnostic> diagnostics_of(const fs::path &path) {
  switch (inputs::manifest_type(path)) {
  case inputs::ManifestType::yaml: {
    const manifest::ScenarioLoad load = inputs::load_scenario_file(path);
    if (!load.scenario)
      return load.diagnostics;
    return sim::simulate(*load.scenario).input_errors;
  }
  case inputs::ManifestType::inf:
  case inputs::ManifestType::reg:
    return inputs::load_manifest_file(path).diagnostics;
  case inputs::ManifestType::unknown:
    break;
  }
  const io::DecodedText text = io::read_text_file(path);
  if (!text.text)
    return {text.error};
  return observed::parse_observed(*text.text, path.string()).diagnostics;
}

using Run = test::CliRun;
Run run_cli(const std::vector<std::string> &args) {
  return test::run_fltsim(args);
}

struct Case {
  const char *file;
  std::vector<Expected> diagnostics;
};

// clang-format off
const std::vector<Case> kCases = {
  // Truncated files.
  {"truncated_flow.yaml", {{"yaml-syntax", 4, 1}}},
  // yaml-cpp 0.7 accepts a double-quoted string cut off after a line break (the rest of the file
  // becomes the value); the reader's pre-scan refuses it at the opening quote.
  {"truncated_quote.yaml", {{"yaml-syntax", 3, 11}}},
  {"truncated_quote_swallows_keys.yaml", {{"yaml-syntax", 7, 12}}},
  {"truncated_key.yaml", {{"missing-key", 3, 5}}},
  {"truncated.inf", {{"inf-undefined-string", 38, 15}, {"inf-syntax", 72, 1}}},
  // Cut before its Start value: the service key is a leftover that `import` leaves out too
  // (docs/model.md#kind-evidence), so the file describes no filter.
  {"truncated.reg", {{"reg-no-service", 0, 0}}},
  // Wrong types, duplicate and unknown keys.
  {"wrong_type_drivers.yaml", {{"wrong-type", 2, 10}}},
  {"wrong_types.yaml", {{"wrong-type", 4, 12}, {"wrong-type", 8, 10}, {"wrong-type", 12, 16},
                        {"wrong-type", 13, 5}}},
  // The unreadable Start (17:9) makes the service a leftover that `import` leaves out too: its
  // other values are not talked about (docs/model.md#kind-evidence), the unreadable value is.
  {"wrong_types.reg", {{"reg-bad-value", 17, 9}}},
  {"duplicate_keys.yaml", {{"duplicate-key", 6, 5}}},
  {"unknown_keys.yaml", {{"unknown-key", 6, 1}, {"unknown-key", 5, 5}, {"missing-key", 3, 5}}},
  // Encodings.
  {"invalid_utf8.yaml", {{"encoding", 3, 15}}},
  {"overlong_utf8.yaml", {{"encoding", 3, 13}}},
  {"invalid_utf8.reg", {{"encoding", 4, 67}}},
  {"invalid_utf16.yaml", {{"encoding", 3, 13}}},
  {"utf16_odd_length.yaml", {{"encoding", 0, 0}}},
  {"utf16_without_bom.yaml", {{"encoding", 1, 2}}},
  {"nul_byte.yaml", {{"encoding", 3, 16}}},
  {"nul_in_utf16.inf", {{"encoding", 118, 3}}},
  // Absurd altitudes: sign, exponent, two dots, hex, empty, spaces, NaN, 65 digits, full-width.
  {"absurd_altitudes.yaml", {{"invalid-altitude", 3, 45}, {"invalid-altitude", 4, 45},
                             {"invalid-altitude", 5, 44}, {"invalid-altitude", 6, 40},
                             {"invalid-altitude", 7, 42}, {"invalid-altitude", 8, 43},
                             {"invalid-altitude", 9, 40}, {"invalid-altitude", 10, 44},
                             {"invalid-altitude", 11, 44}}},
  {"bad_altitude.inf", {{"invalid-altitude", 58, 67}, {"invalid-altitude", 104, 56}}},
  // Inconsistent scenarios: the engine's input errors.
  {"dependency_cycle.yaml", {{"dependency-cycle", 3, 5}}},
  {"duplicate_drivers.yaml", {{"duplicate-driver", 4, 5}}},
  // Crafted documents: alias expansion and nesting.
  {"billion_laughs.yaml", {{"limit", 3, 198}}},
  {"deep_flow_nesting.yaml", {{"limit", 2, 74}}},
  {"deep_block_nesting.yaml", {{"limit", 3, 1000}}},
  {"deep_indentation.yaml", {{"limit", 131, 513}}},
  // Observed text that is no listing.
  {"not_a_listing.txt", {{"observed-unrecognized", 1, 0}}},
};
// clang-format on

std::string generated_drivers(std::size_t n) {
  std::string y = "scenario: generated\ndrivers:\n";
  y.reserve(n * 48);
  for (std::size_t i = 0; i < n; ++i)
    y += "  - {name: d" + std::to_string(i) +
         ", start: boot, altitude: " + std::to_string(20000 + i % 400000) + "." +
         std::to_string(i) + "}\n";
  return y;
}

} // namespace

TEST_SUITE("bad input") {
  TEST_CASE("every corpus file gives its exact diagnostics") {
    for (const Case &c : kCases) {
      CAPTURE(c.file);
      CHECK(located(diagnostics_of(corpus(c.file))) == c.diagnostics);
    }
  }

  TEST_CASE("every corpus file has a case") {
    std::set<std::string> listed;
    for (const Case &c : kCases)
      listed.insert(c.file);
    for (const auto &e : fs::directory_iterator(corpus(""))) {
      const std::string name = e.path().filename().string();
      if (!e.is_regular_file() || name == "tests.cmake" || name.ends_with("_test.cpp"))
        continue;
      CAPTURE(name);
      CHECK(listed.count(name) == 1);
    }
  }

  TEST_CASE("fltsim simulate exits 2 and prints file:line:col: error[code]") {
    for (const Case &c : kCases) {
      const fs::path p = corpus(c.file);
      if (inputs::manifest_type(p) != inputs::ManifestType::yaml)
        continue;
      CAPTURE(c.file);
      const Run r = run_cli({"simulate", p.string()});
      CHECK(r.code == 2);
      CHECK(r.out.empty());
      const Expected &first = c.diagnostics.front();
      std::string where = p.string();
      if (first.line > 0)
        where += ":" + std::to_string(first.line) + ":" + std::to_string(first.column);
      CHECK(r.err.find(where + ": error[" + first.code + "]") != std::string::npos);
    }
  }

  TEST_CASE("INF and .reg manifests with errors make an including scenario exit 2") {
    test::TempDir dir;
    for (const char *name : {"truncated.inf", "bad_altitude.inf", "wrong_types.reg"}) {
      CAPTURE(name);
      fs::copy_file(corpus(name), dir.path() / name);
      const fs::path sc = dir.path() / "wrap.yaml";
      std::ofstream(sc) << "scenario: wrap\ninclude: [" << name << "]\n";
      const Run r = run_cli({"simulate", sc.string()});
      CHECK(r.code == 2);
      CHECK(r.err.find((dir.path() / name).string() + ":") != std::string::npos);
    }
  }

  TEST_CASE("100k drivers: read and simulated, not refused") {
    const std::string yaml = generated_drivers(100000);
    const manifest::ScenarioLoad load = manifest::parse_scenario_yaml(yaml, "100k.yaml");
    REQUIRE(load.diagnostics.empty());
    REQUIRE(load.scenario->drivers.size() == 100000);
    sim::SimOptions opt;
    opt.record_trace = false;
    const sim::SimResult r = sim::simulate(*load.scenario, opt);
    CHECK(r.input_errors.empty());
    CHECK(r.load_order.size() == 100001); // FltMgr first
    std::size_t placed = 0;
    for (const sim::Frame &f : r.frames)
      placed += f.filters.size();
    CHECK(placed == 100000);
  }

  TEST_CASE("limits: drivers, instances, events, entries, nesting give 'limit' at the node") {
    manifest::Limits l;
    SUBCASE("drivers") {
      l.max_drivers = 1000;
      const auto load = manifest::parse_scenario_yaml(generated_drivers(1001), "d.yaml", {}, l);
      CHECK(located(load.diagnostics) == std::vector<Expected>{{"limit", 3, 3}});
      CHECK(manifest::parse_scenario_yaml(generated_drivers(1000), "d.yaml", {}, l).scenario);
    }
    SUBCASE("instances of one driver") {
      l.max_instances_per_driver = 2;
      const auto load = manifest::parse_scenario_yaml(
          "drivers:\n  - name: A\n    start: boot\n    instances:\n"
          "      - {name: a, altitude: 1}\n      - {name: b, altitude: 2}\n"
          "      - {name: c, altitude: 3}\n",
          "i.yaml", {}, l);
      CHECK(located(load.diagnostics) == std::vector<Expected>{{"limit", 5, 7}});
    }
    SUBCASE("instances in all: reading stops at the first instance over the limit") {
      l.max_total_instances = 3;
      const auto load = manifest::parse_scenario_yaml(
          "drivers:\n  - {name: A, start: boot, instances: [{name: a, altitude: 1},"
          " {name: b, altitude: 2}]}\n"
          "  - {name: B, start: boot, instances: [{name: a, altitude: 3},"
          " {name: b, altitude: 4}]}\n"
          "  - {name: C, start: boot, instances: [{name: a, altitude: 5}]}\n",
          "t.yaml", {}, l);
      CHECK(located(load.diagnostics) == std::vector<Expected>{{"limit", 3, 64}});
    }
    SUBCASE("events") {
      l.max_events = 2;
      const auto load = manifest::parse_scenario_yaml(
          "drivers: []\nevents:\n  - load: A\n  - unload: A\n  - load: A\n", "e.yaml", {}, l);
      CHECK(located(load.diagnostics) == std::vector<Expected>{{"limit", 3, 3}});
    }
    SUBCASE("YAML entries, counted before yaml-cpp builds its nodes") {
      l.max_yaml_entries = 100;
      const auto load = manifest::parse_scenario_yaml(generated_drivers(30), "y.yaml", {}, l);
      CHECK(located(load.diagnostics) == std::vector<Expected>{{"limit", 15, 3}});
    }
    SUBCASE("nesting limit is configurable") {
      l.max_nesting = 3;
      const auto load = manifest::parse_scenario_yaml("volumes: [[[[a]]]]\n", "n.yaml", {}, l);
      CHECK(located(load.diagnostics) == std::vector<Expected>{{"limit", 1, 13}});
    }
  }

  TEST_CASE("billion laughs with the default limits: refused quickly, bounded work") {
    // 10 levels of 10 aliases: 10^10 entries if expanded. Each level is a driver list whose
    // entries alias the level below, where the reader iterates.
    std::string y = "drivers:\n  - &d {name: D, start: boot, instances: &i [&n {name: I, "
                    "altitude: 1, attach: [v, v, v, v, v, v, v, v, v, v]}";
    for (int k = 0; k < 1000; ++k)
      y += ", *n";
    y += "]}\n";
    for (int k = 0; k < 5000; ++k)
      y += "  - *d\n";
    const auto load = manifest::parse_scenario_yaml(y, "laughs.yaml");
    REQUIRE(load.diagnostics.size() == 1);
    CHECK(load.diagnostics[0].code == "limit");
    CHECK(load.diagnostics[0].message.find("aliases") != std::string::npos);
    // Aliases that do not multiply the work are fine.
    const auto ok = manifest::parse_scenario_yaml(
        "drivers:\n  - {name: A, start: boot, altitude: 1, depends_on: &deps [X, Y]}\n"
        "  - {name: B, start: boot, altitude: 2, depends_on: *deps}\n",
        "ok.yaml");
    CHECK(ok.diagnostics.empty());
  }

  TEST_CASE("too many errors: the reader stops after 1000 diagnostics") {
    std::string y = "drivers:\n";
    for (int i = 0; i < 5000; ++i)
      y += "  - {name: d" + std::to_string(i) + ", start: boot, altitude: x}\n";
    const auto load = manifest::parse_scenario_yaml(y, "many.yaml");
    REQUIRE(load.diagnostics.size() == 1000);
    CHECK(load.diagnostics[998].code == "invalid-altitude");
    CHECK(located({load.diagnostics.back()}) ==
          std::vector<Expected>{{"too-many-errors", 1001, 41}});
  }

  TEST_CASE("input size limit: a file over 64 MiB is refused before it is read whole") {
    test::TempDir dir;
    const fs::path big = dir.path() / "big.yaml";
    {
      std::ofstream out(big, std::ios::binary);
      out << "scenario: big\n";
    }
    fs::resize_file(big, io::max_input_bytes + 1); // sparse: no disk space used
    const io::DecodedText t = io::read_text_file(big);
    REQUIRE_FALSE(t.text);
    CHECK(t.error.code == "limit");
    CHECK(t.error.location.file == big.string());
    const Run r = run_cli({"simulate", big.string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("error[limit]") != std::string::npos);
    // Exactly at the limit is read (and then fails on the NULs, which is an encoding error).
    fs::resize_file(big, io::max_input_bytes);
    CHECK(io::read_text_file(big).error.code == "encoding");
  }

  TEST_CASE("unreadable inputs: missing file, directory, unknown type, missing include") {
    test::TempDir dir;
    CHECK(located(diagnostics_of(dir.path() / "missing.yaml")) ==
          std::vector<Expected>{{"io", 0, 0}});
    fs::create_directory(dir.path() / "dir.yaml");
    CHECK(located(diagnostics_of(dir.path() / "dir.yaml")) == std::vector<Expected>{{"io", 0, 0}});
    const fs::path sc = dir.path() / "inc.yaml";
    std::ofstream(sc) << "scenario: inc\ninclude:\n  - nothere.inf\n  - notes.txt\n";
    std::ofstream(dir.path() / "notes.txt") << "hello\n";
    CHECK(located(diagnostics_of(sc)) ==
          std::vector<Expected>{{"include", 3, 5}, {"unknown-file-type", 0, 0}});
    CHECK(run_cli({"simulate", sc.string()}).code == 2);
    CHECK(run_cli({"simulate", (dir.path() / "missing.yaml").string()}).code == 2);
  }

  TEST_CASE("tie-order exploration: a time budget gives a partial result, not a hang") {
    // 12 boot minifilters in one group without tags: 12! = 479001600 permitted orders.
    sim::Scenario sc;
    for (int i = 0; i < 12; ++i) {
      sim::Driver d;
      d.name = "m" + std::to_string(i);
      d.group = "FSFilter Activity Monitor";
      d.start = sim::StartType::boot;
      d.instances.push_back(
          {"i", sim::Altitude::from_literal(std::to_string(360000 + i)), 0, {}, {}});
      d.default_instance = "i";
      sc.drivers.push_back(std::move(d));
    }
    sim::ExploreOptions eo;
    eo.max_orders = 1000000;
    int asked = 0;
    eo.should_stop = [&] { return ++asked > 20; };
    const sim::TieExploration ex = sim::explore_tie_orders(sc, eo);
    CHECK(ex.stopped);
    CHECK_FALSE(ex.exhaustive);
    CHECK(ex.orders_tried == 21); // the manifest order plus 20
    CHECK(ex.total_orders == 479001600);
    CHECK(sim::describe(ex).find("partial result") != std::string::npos);
    // The states budget (max_orders) samples instead of enumerating.
    eo.should_stop = nullptr;
    eo.max_orders = 50;
    const sim::TieExploration sampled = sim::explore_tie_orders(sc, eo);
    CHECK_FALSE(sampled.stopped);
    CHECK_FALSE(sampled.exhaustive);
    CHECK(sampled.orders_tried == 50);
    CHECK(sim::describe(sampled).find("partial result") != std::string::npos);
  }
}
