// Every planner search loop stops at Options' limits (docs/planner.md, "Fallback search"): the
// fallback search over sets of candidate gaps is exponential, so it is bounded by
// max_candidate_plans (every set tried counts, placed or not), max_simulations and
// should_stop, and a stopped search reports budget-exhausted or cancelled, never a plan.
#include <doctest/doctest.h>

#include "fltsim/planner/planner.hpp"
#include "planner_support.hpp"

using namespace fltsim;
using planner::Status;

namespace {

/// Twelve boot-start legacy filters in twelve groups, ascending, and one auto-start minifilter in
/// each of the eleven gaps between them plus one above them all: the gap analysis needs eleven
/// dummies (the top gap opens itself), and the fallback search would have to try every smaller
/// set of the twelve candidate gaps first (4,000 sets) before it finds them.
sim::Scenario twelve_gaps() {
  const char *groups[] = {"FSFilter Copy Protection",
                          "FSFilter Security Enhancer",
                          "FSFilter Open File",
                          "FSFilter Physical Quota Management",
                          "FSFilter Virtualization",
                          "FSFilter Encryption",
                          "FSFilter Compression",
                          "FSFilter Imaging",
                          "FSFilter HSM",
                          "FSFilter Cluster File System",
                          "FSFilter System Recovery",
                          "FSFilter Quota Management"};
  const char *minis[] = {"85003",  "105003", "125003", "135003", "145003", "165003",
                         "172003", "185003", "205003", "225003", "245003", "265003"};
  std::string yaml = "drivers:\n";
  for (int i = 0; i < 12; ++i)
    yaml += "  - {name: Legacy" + std::to_string(i) + ", kind: legacy, group: " + groups[i] +
            ", start: boot}\n";
  for (int i = 0; i < 12; ++i)
    yaml += "  - {name: Mini" + std::to_string(i) + ", group: FSFilter Activity Monitor, " +
            "start: auto, altitude: " + minis[i] + "}\n";
  return test::scenario_from_yaml(yaml);
}

} // namespace

TEST_SUITE("planner budget") {

  TEST_CASE("the gap analysis plans the twelve-gap stack directly") {
    const sim::Scenario sc = twelve_gaps();
    const planner::PlanResult p = planner::plan(sc);
    REQUIRE(p.status == Status::fixed);
    CHECK(p.dummies.size() == 11);
    CHECK(p.lower_bound == 11);
    CHECK(p.candidate_plans == 1);
  }

  TEST_CASE("the fallback search stops at max_candidate_plans") {
    planner::Options o;
    o.gap_analysis = false; // straight to the search
    o.max_candidate_plans = 300;
    o.max_simulations = 1000000000;
    const planner::PlanResult p = planner::plan(twelve_gaps(), o);
    CHECK(p.status == Status::budget_exhausted);
    CHECK(p.dummies.empty());
    CHECK(p.candidate_plans == 300);
    CHECK(p.explanation.find("search") != std::string::npos);
    CHECK(p.explanation.find("11 dummies") != std::string::npos); // the lower bound is stated
  }

  TEST_CASE("the fallback search stops at max_simulations") {
    planner::Options o;
    o.gap_analysis = false;
    o.max_candidate_plans = 1000000000;
    o.max_simulations = 500;
    const planner::PlanResult p = planner::plan(twelve_gaps(), o);
    CHECK(p.status == Status::budget_exhausted);
    CHECK(p.dummies.empty());
    CHECK(p.simulations <= 500);
    CHECK(p.candidate_plans < 500);
  }

  TEST_CASE("the fallback search stops when should_stop says so") {
    planner::Options o;
    o.gap_analysis = false;
    o.max_candidate_plans = 1000000000;
    o.max_simulations = 1000000000;
    int calls = 0;
    o.should_stop = [&] { return ++calls > 200; };
    const planner::PlanResult p = planner::plan(twelve_gaps(), o);
    CHECK(p.status == Status::cancelled);
    CHECK(p.dummies.empty());
    CHECK(calls == 201); // it stops at the first `true`
  }

  TEST_CASE("a set of gaps that cannot be placed still counts as a candidate plan") {
    // Gap 1 (BotLegacy 49998.99 - CopyLegacy 69998.99) is openable, but X (69998, registering
    // after BotLegacy) already opened a frame up to 69998 there, so a dummy would need an
    // altitude in (69998, 69998.99): none. Y needs gap 3 (SecLegacy - OpenLegacy). The search
    // tries {1} (not placed), {2} (placed, Y still inverted), {3} (verified).
    const sim::Scenario sc = test::scenario_from_yaml(R"(
drivers:
  - {name: BotLegacy, kind: legacy, group: FSFilter Bottom, start: boot, tag: 1}
  - {name: X, group: FSFilter Bottom, start: boot, tag: 2, altitude: 69998}
  - {name: CopyLegacy, kind: legacy, group: FSFilter Copy Protection, start: boot}
  - {name: SecLegacy, kind: legacy, group: FSFilter Security Enhancer, start: boot}
  - {name: OpenLegacy, kind: legacy, group: FSFilter Open File, start: boot}
  - {name: Y, group: FSFilter Activity Monitor, start: auto, altitude: 105003}
)");
    planner::Options o;
    o.gap_analysis = false;
    const planner::PlanResult p = planner::plan(sc, o);
    REQUIRE(p.status == Status::fixed);
    REQUIRE(p.dummies.size() == 1);
    CHECK(p.dummies[0].after_legacy == "SecLegacy");
    CHECK(p.candidate_plans == 3);
    o.max_candidate_plans = 2;
    CHECK(planner::plan(sc, o).status == Status::budget_exhausted);
  }

  TEST_CASE("the default limits end the search on the twelve-gap stack") {
    // Without limits the search would try 4,000 sets first; the default max_candidate_plans
    // (2000) stops it.
    planner::Options o;
    o.gap_analysis = false;
    const planner::PlanResult p = planner::plan(twelve_gaps(), o);
    CHECK(p.status == Status::budget_exhausted);
    CHECK(p.candidate_plans == o.max_candidate_plans);
  }

  TEST_CASE("the alternatives stop at max_simulations and the infeasibility is still reported") {
    // A legacy filter that loads after the minifilters that belong above it: infeasible, with
    // several alternatives to verify; a small budget stops them.
    const sim::Scenario sc = test::scenario_from_yaml(R"(
drivers:
  - {name: AVMini, group: FSFilter Anti-Virus, start: boot, altitude: 328003}
  - {name: UndMini, group: FSFilter Undelete, start: boot, altitude: 345003}
  - {name: EncLegacy, kind: legacy, group: FSFilter Encryption, start: system}
)");
    const planner::PlanResult full = planner::plan(sc);
    REQUIRE(full.status == Status::infeasible);
    REQUIRE(full.alternatives.size() >= 2);
    planner::Options o;
    o.max_simulations = full.simulations / 2;
    const planner::PlanResult p = planner::plan(sc, o);
    CHECK(p.status == Status::infeasible);
    CHECK(p.simulations <= o.max_simulations);
    CHECK(p.alternatives.size() < full.alternatives.size());
    CHECK(std::any_of(p.notes.begin(), p.notes.end(), [](const std::string &n) {
      return n.find("stopped at a limit") != std::string::npos;
    }));
  }

} // TEST_SUITE
