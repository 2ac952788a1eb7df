// The fleet's input readers (manifest/fleet_input.hpp, osquery_input.hpp): JSONL machines (fast
// reader and scenario YAML reader agree), directory trees, osquery result logs.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>

#include "fltsim/fleet/fleet.hpp"
#include "fltsim/fleet/fleet_input.hpp"
#include "fltsim/fleet/osquery_input.hpp"
#include "fltsim/fleet/run.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/sim/engine.hpp"

using namespace fltsim;

namespace {

const std::string reader_fixtures = std::string(FLTSIM_SOURCE_ROOT) + "/tests/fleet/fixtures/";

std::vector<std::string> file_lines(const std::string &path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);)
    out.push_back(l);
  return out;
}

std::vector<fleet::MachineRecord> read_all(const std::string &arg) {
  std::vector<fleet::MachineRecord> out;
  auto src = fleet::open_machine_source(arg);
  while (auto raw = src->next())
    out.push_back(fleet::load_machine(*raw));
  return out;
}

const fleet::MachineRecord &by_name(const std::vector<fleet::MachineRecord> &rs,
                                    const std::string &name) {
  for (const auto &r : rs)
    if (r.machine == name)
      return r;
  FAIL("no machine " << name);
  return rs.front();
}

} // namespace

TEST_CASE("fleet readers: the fast JSON reader and the scenario YAML reader agree on every line") {
  const auto lines = file_lines(reader_fixtures + "sample.jsonl");
  REQUIRE(lines.size() >= 45);
  int fast_taken = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string &line = lines[i];
    CAPTURE(i + 1);
    const auto env = fleet::split_machine_json_line(line, "sample.jsonl", int(i + 1));
    REQUIRE(env.diagnostics.empty());
    const auto fast = fleet::parse_machine_scenario(env);
    const auto yaml = fleet::parse_machine_scenario_yaml(env);
    REQUIRE(fast.scenario.has_value() == yaml.scenario.has_value());
    if (!yaml.scenario) {
      CHECK(fast.diagnostics.size() == yaml.diagnostics.size());
      continue;
    }
    // The YAML writer prints every field of a scenario, so equal text = equal scenarios.
    CHECK(manifest::write_scenario_yaml(*fast.scenario) ==
          manifest::write_scenario_yaml(*yaml.scenario));
    REQUIRE(fast.scenario->drivers.size() == yaml.scenario->drivers.size());
    for (std::size_t d = 0; d < fast.scenario->drivers.size(); ++d) {
      const sim::SourceLocation &f = fast.scenario->drivers[d].location;
      const sim::SourceLocation &y = yaml.scenario->drivers[d].location;
      if (y.file != "sample.jsonl")
        continue; // a baseline's driver, located in its own file
      CHECK(f.file == "sample.jsonl");
      CHECK(f.line == int(i + 1));
      CHECK(y.line == int(i + 1));
      CHECK(f.column == y.column); // both at the driver's '{' in the line
    }
    fast_taken += line.find("yaml-only") == std::string::npos;
  }
  CHECK(fast_taken == 42);
}

TEST_CASE("fleet readers: verbatim altitude text and every scenario key through JSON") {
  const auto lines = file_lines(reader_fixtures + "sample.jsonl");
  const auto rec = fleet::parse_machine_json_line(lines[40], "s.jsonl", 41);
  REQUIRE(rec.scenario);
  CHECK(rec.machine == "keys-1");
  CHECK(rec.build == "10.0.26100");
  const sim::Scenario &sc = *rec.scenario;
  REQUIRE(sc.drivers.size() == 4);
  CHECK(sc.drivers[1].instances[0].altitude.text() == "328000.50"); // a JSON number, as written
  CHECK(sc.drivers[1].tag == 2u);
  CHECK(sc.drivers[1].depends_on == std::vector<std::string>{"FltMgr"});
  CHECK(sc.drivers[1].default_instance == "A2");
  CHECK(sc.drivers[2].kind == sim::DriverKind::legacy);
  CHECK(sc.volumes.size() == 2);
  CHECK(sc.volumes[1] == "\\Device\\Mup");
  CHECK(sc.events.size() == 2);
  CHECK(sc.group_order_list.at("FSFilter Anti-Virus") == std::vector<std::uint32_t>{2, 1});
  // \u escapes and scenario keys the fast reader leaves alone go through the YAML reader.
  const auto cafe = fleet::parse_machine_json_line(lines[42], "s.jsonl", 43);
  REQUIRE(cafe.scenario);
  CHECK(cafe.scenario->title == "caf\xc3\xa9");
  const auto based = fleet::parse_machine_json_line(lines[43], "s.jsonl", 44);
  REQUIRE(based.scenario);
  CHECK(based.scenario->drivers.size() > 5); // the baseline's drivers came in
}

TEST_CASE("fleet readers: a bad scenario value is located in the JSONL line") {
  const std::string line =
      R"({"machine":"h1","scenario":{"drivers":[{"name":"A","start":"sometimes","altitude":"1"}]}})";
  const auto rec = fleet::parse_machine_json_line(line, "fleet.jsonl", 17);
  REQUIRE_FALSE(rec.scenario);
  REQUIRE(rec.diagnostics.size() == 1);
  const auto &d = rec.diagnostics[0];
  CHECK(d.location.file == "fleet.jsonl");
  CHECK(d.location.line == 17);
  // The column is the value's: 1-based position of "sometimes" (with its quote) in the line.
  CHECK(d.location.column == int(line.find("\"sometimes\"")) + 1);
  CHECK(d.code == "wrong-value");
  CHECK(rec.machine == "h1");
}

TEST_CASE("fleet readers: envelope errors name file, line and column") {
  struct Case {
    std::string line, code;
    std::size_t column;
  };
  const std::vector<Case> cases = {
      {"not json", "fleet-record", 1},
      {R"({"machine":"a"})", "missing-key", 1},
      {R"({"scenario":{}})", "missing-key", 1},
      {R"({"machine":"a","host":"b","scenario":{}})", "unknown-key", 16},
      {R"({"machine":"a","machine":"b","scenario":{}})", "duplicate-key", 16},
      {R"({"machine":"a","scenario":{"drivers":[)", "fleet-record", 0},
      {R"({"machine":3,"scenario":{}})", "wrong-type", 12},
      {R"({"machine":"a","scenario":[]})", "wrong-type", 27},
  };
  for (const Case &c : cases) {
    CAPTURE(c.line);
    const auto rec = fleet::parse_machine_json_line(c.line, "f.jsonl", 3);
    CHECK_FALSE(rec.scenario);
    REQUIRE_FALSE(rec.diagnostics.empty());
    CHECK(rec.diagnostics[0].code == c.code);
    CHECK(rec.diagnostics[0].location.line == 3);
    if (c.column)
      CHECK(rec.diagnostics[0].location.column == int(c.column));
  }
}

TEST_CASE("fleet readers: a directory tree, one machine per folder or file") {
  const auto rs = read_all(reader_fixtures + "machines");
  REQUIRE(rs.size() == 5);
  const auto &a = by_name(rs, "host-a"); // scenario + build.txt
  REQUIRE(a.scenario);
  CHECK(a.build == "10.0.19045");
  CHECK(a.scenario->drivers.size() == 5);
  const auto &b = by_name(rs, "host-b"); // UTF-16 FLTMC_Filters.out / FLTMC_Instances.out
  REQUIRE(b.scenario);
  CHECK(b.scenario->find_driver("EncryptionLegacy") >= 0);
  CHECK(b.scenario->drivers[static_cast<std::size_t>(b.scenario->find_driver("AVLegacy"))]
            .is_legacy());
  const auto &c = by_name(rs, "host-c"); // two .reg files
  REQUIRE(c.scenario);
  CHECK(c.scenario->find_driver("WIMMount") >= 0);
  CHECK(c.scenario->find_driver("ExampleAV") >= 0);
  CHECK(c.build == "10.0.22631");
  const auto &d = by_name(rs, "host-d"); // a single scenario file
  REQUIRE(d.scenario);
  CHECK(d.scenario->drivers.size() == 5);
  const auto &e = by_name(rs, "host-e"); // nothing readable: an error, not a silent skip
  CHECK_FALSE(e.scenario);
  REQUIRE(e.diagnostics.size() == 1);
  CHECK(e.diagnostics[0].code == "fleet-machine");
}

TEST_CASE("fleet readers: osquery result logs, grouped per host") {
  const auto rs = read_all(reader_fixtures + "osquery/registry_services.log");
  REQUIRE(rs.size() == 4);
  const auto &w = by_name(rs, "WIN-7Q2ABC");
  REQUIRE(w.scenario);
  CHECK(w.build == "10.0.19045");
  CHECK(w.location.line == 1);
  CHECK(w.scenario->service_group_order.has_value());
  const int av = w.scenario->find_driver("ExampleAV");
  REQUIRE(av >= 0);
  // The "removed" row took the old altitude away and the "added" row gave the new one.
  CHECK(w.scenario->drivers[std::size_t(av)].find_default_instance()->altitude.text() == "328700");
  const int wd = w.scenario->find_driver("WdFilter");
  REQUIRE(wd >= 0);
  CHECK(w.scenario->drivers[std::size_t(wd)].depends_on == std::vector<std::string>{"FltMgr"});
  // Snapshots: the second replaces the first.
  const auto &s = by_name(rs, "ws-0042.corp.example");
  REQUIRE(s.scenario);
  CHECK(s.build == "10.0.22631");
  CHECK(s.scenario->find_driver("ExampleAV") >= 0);
  // The truncated line and the bad REG_DWORD: errors with their lines.
  const auto &cut = by_name(rs, reader_fixtures + "osquery/registry_services.log:26");
  CHECK_FALSE(cut.scenario);
  CHECK(cut.diagnostics.at(0).location.line == 26);
  const auto &bad = by_name(rs, "ws-0044");
  CHECK_FALSE(bad.scenario);
  CHECK(bad.diagnostics.at(0).location.line == 28);
  CHECK(bad.diagnostics.at(0).message.find("not a number") != std::string::npos);
}

TEST_CASE("fleet readers: osquery rows become a typed registry snapshot") {
  std::vector<fleet::RegistryRow> rows = {
      {"HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\X", "", "Start", "REG_DWORD", "-1",
       5},
      {"HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\X", "", "DependOnService",
       "REG_MULTI_SZ", "FltMgr,Y", 6},
      {"HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\GroupOrderList", "",
       "FSFilter Anti-Virus", "REG_BINARY", "020000000200000001000000", 7},
      {"HKEY_LOCAL_MACHINE\\SOFTWARE\\Other", "", "V", "REG_SZ", "ignored", 8},
  };
  const auto read = fleet::registry_snapshot_from_rows(rows, {"log", 1, 1});
  CHECK(read.warnings.empty());
  const auto *x = read.snapshot.find("CurrentControlSet\\Services\\X");
  REQUIRE(x);
  CHECK(x->find("Start")->number == 0xFFFFFFFFu); // osquery prints REG_DWORD as a signed int
  CHECK(x->find("DependOnService")->strings == std::vector<std::string>{"FltMgr", "Y"});
  CHECK(x->find("Start")->location.line == 5);
  const auto *g = read.snapshot.find("CurrentControlSet\\Control\\GroupOrderList");
  REQUIRE(g);
  CHECK(g->find("FSFilter Anti-Virus")->bytes.size() == 12);
  CHECK(read.snapshot.key_count() == 2);
}

TEST_CASE("fleet readers: every machine an importer accepts simulates (import-then-simulate, "
          "docs/machine-import.md#invariant)") {
  // Machine folders (captures, registry files) and osquery rows (through machine::import_machine)
  // are imported: a machine that reads without an error must simulate without an input error, as
  // `fltsim simulate` of what `import` writes exits 0 or 1. (A JSONL record is a scenario as its
  // writer wrote it: an event naming no driver there is that machine's input error, as in YAML.)
  int simulated = 0;
  for (const char *input : {"machines", "osquery/registry_services.log"}) {
    for (const fleet::MachineRecord &r : read_all(reader_fixtures + input)) {
      if (!r.scenario)
        continue;
      CAPTURE(input);
      CAPTURE(r.machine);
      const sim::SimResult res = sim::simulate(*r.scenario);
      CHECK(res.input_errors.empty());
      ++simulated;
    }
  }
  CHECK(simulated >= 6); // host-a..e and two osquery hosts (two more lines are bad on purpose)
}

namespace {
// One line per machine: "machine outcome | errors (file:line:column code: message)".
std::string describe(const fleet::MachineResult &r) {
  std::string s = r.machine + " " + fleet::to_string(r.outcome) + " |";
  for (const sim::Diagnostic &e : r.errors)
    s += " " + e.location.file + ":" + std::to_string(e.location.line) + ":" +
         std::to_string(e.location.column) + " " + e.code + ": " + e.message + ";";
  return s + "\n";
}

class CollectingSink : public fleet::Sink {
public:
  std::string text;
  void render(const fleet::MachineResult &r, std::string &records, std::string &) const override {
    records += describe(r);
  }
  void render_note(const sim::Diagnostic &, std::string &) const override {}
  void write(const std::string &records, const std::string &) override { text += records; }
};

// The change the driver-cache tests apply: ContosoAV at 329100, boot start, in `group` if any.
fleet::Change add_contoso(std::optional<std::string> group) {
  fleet::Change change;
  sim::Driver add;
  add.name = "ContosoAV";
  add.group = std::move(group);
  add.start = sim::StartType::boot;
  add.instances.push_back({"ContosoAV Instance", sim::Altitude::from_literal("329100"), 0, {}, {}});
  add.default_instance = "ContosoAV Instance";
  change.add.push_back(add);
  return change;
}

// Every machine of `sources` read anew (load_machine) and evaluated alone, described; then the
// same sources through fleet::run with one worker, whose drivers come from its cache. Both
// sources are closed on return (Windows cannot remove a file that is still open).
std::pair<std::string, std::string>
alone_and_through_the_pipeline(const std::vector<std::string> &sources,
                               const fleet::Change &change) {
  std::string alone;
  for (const std::string &path : sources) {
    auto src = fleet::open_machine_source(path);
    while (auto raw = src->next()) {
      fleet::MachineRecord rec = fleet::load_machine(*raw);
      REQUIRE(rec.scenario);
      alone += describe(fleet::evaluate_machine(rec.machine, rec.build, *rec.scenario, change));
    }
  }
  CollectingSink sink;
  fleet::RunOptions options;
  options.jobs = 1;
  (void)fleet::run(sources, change, options, sink);
  return {alone, sink.text};
}
} // namespace

TEST_CASE("fleet readers: a driver read again from the worker's cache is located where it is") {
  // The same driver object text at other columns and lines, twice per line: the second of each
  // line is a duplicate-driver error located at its own '{'. fleet::run reads each worker's
  // drivers through a cache keyed by their text; load_machine() reads every driver anew.
  const std::string same = R"({"name":"Same","kind":"minifilter","group":"FSFilter Bottom",)"
                           R"("start":"boot","instances":[{"name":"Same A","altitude":"40010"},)"
                           R"({"name":"Same B","altitude":"40020"}],"default_instance":"Same B"})";
  std::string text;
  std::vector<std::string> where; // file:line:column of each line's second driver "Same"
  for (int i = 0; i < 6; ++i) {
    std::string filler;
    for (int k = 0; k < i; ++k)
      filler += R"({"name":"F)" + std::string(std::size_t(k + 1), 'x') + std::to_string(i) +
                R"(","start":"boot","altitude":"4100)" + std::to_string(k) + R"("},)";
    const std::string line = R"({"machine":"m)" + std::to_string(i) +
                             R"(","scenario":{"drivers":[)" + filler + same + "," + same + "]}}";
    where.push_back(":" + std::to_string(i + 1) + ":" + std::to_string(line.rfind(same) + 1) +
                    " duplicate-driver");
    text += line + "\n";
  }
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("fltsim-driver-cache-" +
       std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + ".jsonl");
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  const auto [expected, through] =
      alone_and_through_the_pipeline({path.string()}, add_contoso("FSFilter Anti-Virus"));
  std::filesystem::remove(path);
  CHECK(through == expected);
  CHECK(std::count(expected.begin(), expected.end(), '\n') == 6);
  for (const std::string &w : where)
    CHECK(expected.find(w) != std::string::npos);
}

TEST_CASE("fleet readers: a cached driver kept at its position is located where it is now") {
  // The same drivers at the same positions, machine after machine, at other columns (names of
  // other lengths) and of two builds, with a record in between that the fast reader leaves to the
  // YAML reader and a second file: the worker keeps its copies and moves only their locations.
  const std::string same = R"({"name":"Same","group":"FSFilter Bottom","start":"boot",)"
                           R"("altitude":"40010"})";
  const std::string other = R"({"name":"Other","start":"boot","altitude":"40020"})";
  auto line = [&](int i, const std::string &extra) {
    // Two builds, alternating: the worker keeps a scenario per build.
    return R"({"machine":")" + std::string(std::size_t(i + 1), 'm') + R"(","build":"10.0.)" +
           std::to_string(i % 2) + R"(","scenario":{"drivers":[)" + other + "," + same + "," +
           same + extra + "]}}\n";
  };
  const std::string escaped = R"(,{"name":"\u0045sc","start":"boot","altitude":"40030"})";
  std::vector<std::filesystem::path> paths;
  const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
  for (int f = 0; f < 2; ++f) {
    paths.push_back(
        std::filesystem::temp_directory_path() /
        ("fltsim-driver-held-" + std::to_string(stamp) + "-" + std::to_string(f) + ".jsonl"));
    std::ofstream out(paths.back(), std::ios::binary);
    for (int i = 0; i < 5; ++i)
      out << line(i + f, i == 2 ? escaped : "");
  }
  std::vector<std::string> sources;
  for (const auto &path : paths)
    sources.push_back(path.string());
  const auto [expected, through] = alone_and_through_the_pipeline(sources, add_contoso({}));
  for (const auto &path : paths)
    std::filesystem::remove(path);
  CHECK(through == expected);
  CHECK(std::count(expected.begin(), expected.end(), '\n') == 10);
  std::size_t duplicates = 0; // one per machine, located at its second "Same"
  for (std::size_t at = 0; (at = expected.find("duplicate-driver", at)) != std::string::npos; ++at)
    ++duplicates;
  CHECK(duplicates == 10);
}
