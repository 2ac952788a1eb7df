// The bundled planner scenarios (scenarios/planner/*.yaml) are `fltsim plan` output: the input
// plus the dummies (drivers named FrameDummy<n>) and their GroupOrderList entries. test_scenarios
// checks their `expect:` blocks against the engine; this test checks that planning the input
// (the file without the dummies) proposes exactly those dummies again.
#include <doctest/doctest.h>

#include <filesystem>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/planner/planner.hpp"
#include "planner_support.hpp"
#include "support.hpp"

using namespace fltsim;

namespace {

bool is_dummy(const sim::Driver &d) {
  return d.name.rfind("FrameDummy", 0) == 0;
}

/// The file without its dummies: their drivers go, and so do their tags from GroupOrderList
/// (an entry the dummies created goes with them).
sim::Scenario input_of(const sim::Scenario &fixed) {
  sim::Scenario in = fixed;
  std::erase_if(in.drivers, is_dummy);
  for (const sim::Driver &d : fixed.drivers) {
    if (!is_dummy(d) || !d.tag || !d.group)
      continue;
    for (auto it = in.group_order_list.begin(); it != in.group_order_list.end(); ++it)
      if (sim::iequals(it->first, *d.group)) {
        std::erase(it->second, *d.tag);
        if (it->second.empty())
          in.group_order_list.erase(it);
        break;
      }
  }
  return in;
}

} // namespace

TEST_CASE("planner scenarios: planning the input gives the dummies the file states") {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto &e : fs::directory_iterator(test::source_root() / "scenarios" / "planner"))
    if (e.path().extension() == ".yaml")
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 5);
  for (const fs::path &f : files) {
    CAPTURE(f.filename().string());
    manifest::ScenarioLoad l = inputs::load_scenario_file(f);
    REQUIRE(l.scenario.has_value());
    const sim::Scenario &fixed = *l.scenario;
    const sim::Scenario in = input_of(fixed);
    const planner::PlanResult p = planner::plan(in);
    REQUIRE(p.status == planner::Status::fixed);
    std::vector<const sim::Driver *> expected;
    for (const sim::Driver &d : fixed.drivers)
      if (is_dummy(d))
        expected.push_back(&d);
    REQUIRE(p.dummies.size() == expected.size());
    CHECK(p.lower_bound == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const sim::Driver &e = *expected[i];
      const planner::DummyFilter &d = p.dummies[i];
      CAPTURE(e.name);
      CHECK(d.name == e.name);
      CHECK(d.group == *e.group);
      CHECK(d.start == e.start);
      REQUIRE(e.find_default_instance() != nullptr);
      CHECK(d.altitude == e.find_default_instance()->altitude);
      CHECK(d.tag == e.tag);
    }
    CHECK(p.fixed_scenario.group_order_list == fixed.group_order_list);
    CHECK(p.verification.verified);
    CHECK(test::clean_in_every_order(p.fixed_scenario, test::baseline_of(in)));
  }
}

TEST_CASE("planner scenarios: a system-start dummy says why and offers the boot-start edit") {
  manifest::ScenarioLoad l = inputs::load_scenario_file(
      test::source_root() / "scenarios" / "planner" / "system_start_dummy_fixed.yaml");
  REQUIRE(l.scenario.has_value());
  const sim::Scenario in = input_of(*l.scenario);
  const planner::PlanResult p = planner::plan(in);
  REQUIRE(p.status == planner::Status::fixed);
  REQUIRE(p.dummies.size() == 1);
  CHECK(p.dummies[0].start == sim::StartType::system);
  // The note names the system-start legacy filter and the rules.
  CHECK(std::any_of(p.notes.begin(), p.notes.end(), [](const std::string &n) {
    return n.find("no boot-start dummy") != std::string::npos &&
           n.find("BackupLegacy is system-start") != std::string::npos &&
           n.find("(L2)") != std::string::npos;
  }));
  // The alternative: BackupLegacy boot-start, then boot-start dummies only; verified.
  REQUIRE(p.alternatives.size() == 1);
  const planner::Alternative &a = p.alternatives[0];
  CHECK(a.verification.verified);
  REQUIRE(a.edits.size() == 1);
  CHECK(a.edits[0].driver == "BackupLegacy");
  CHECK(a.edits[0].field == planner::EditField::start);
  CHECK(a.edits[0].value == "boot");
  for (const planner::DummyFilter &d : a.dummies)
    CHECK(d.start == sim::StartType::boot);
  auto edited = planner::apply_edits(in, a.edits);
  REQUIRE(edited.has_value());
  CHECK(test::clean_in_every_order(planner::apply_dummies(*edited, a.dummies),
                                   test::baseline_of(in)));
}
