// Planner behaviour on hand-built stacks (docs/planner.md): the blog's fix, several gaps, adjacent
// groups, the Filter group, infeasible stacks with verified alternatives, own altitudes, limits.
#include <doctest/doctest.h>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/planner/planner.hpp"
#include "fltsim/sim/allocated.hpp"
#include "planner_support.hpp"
#include "support.hpp"

using namespace fltsim;
using planner::Status;
using test::scenario_from_yaml;

namespace {

sim::Scenario load(const std::string &rel) {
  manifest::ScenarioLoad l = inputs::load_scenario_file(test::source_root() / rel);
  for (const auto &d : l.diagnostics)
    INFO(sim::format_diagnostic(d));
  REQUIRE(l.scenario.has_value());
  return *l.scenario;
}

sim::Altitude alt(const char *s) {
  return sim::Altitude::from_literal(s);
}

bool has_code(const std::vector<sim::Finding> &fs, std::string_view code) {
  return std::any_of(fs.begin(), fs.end(), [&](const sim::Finding &f) { return f.code == code; });
}

/// Every property a proposed dummy must have on its own (docs/planner.md, "Placing a dummy").
void check_dummy_is_well_formed(const sim::Scenario &input, const planner::DummyFilter &d,
                                bool avoid_allocated = true) {
  CAPTURE(d.name);
  const sim::GroupInfo *g = sim::find_group(d.group);
  REQUIRE(g != nullptr);
  CHECK(d.altitude >= alt(std::string(g->low).c_str()));
  CHECK(d.altitude <= alt(std::string(g->high).c_str()));
  for (const sim::Driver &x : input.drivers)
    for (const sim::Instance &i : x.instances)
      CHECK_FALSE(i.altitude == d.altitude);
  if (avoid_allocated)
    CHECK_FALSE(sim::builtin_allocated_altitudes().is_allocated(d.altitude));
  CHECK(input.find_driver(d.name) < 0);
  if (d.placement == planner::Placement::same_group) {
    REQUIRE(d.tag.has_value());
    REQUIRE(d.group_order.has_value());
    CHECK(d.group_order->tags.front() == *d.tag);
  }
}

} // namespace

TEST_SUITE("planner") {

  TEST_CASE("blog scenario: exactly one dummy, and it gives the blog's fixed stack") {
    const sim::Scenario sc = load("scenarios/blog_example_a.yaml");
    const planner::PlanResult p = planner::plan(sc);
    REQUIRE(p.status == Status::fixed);
    REQUIRE(p.dummies.size() == 1);
    CHECK(p.lower_bound == 1);
    const planner::DummyFilter &d = p.dummies.front();
    check_dummy_is_well_formed(sc, d);
    // Boot start, in a group strictly between Encryption and Anti-Virus (so no tie order matters),
    // above EncryptionLegacy and below AVLegacy, no tag.
    CHECK(d.start == sim::StartType::boot);
    CHECK(d.placement == planner::Placement::between_groups);
    CHECK_FALSE(d.tag.has_value());
    CHECK(test::group_position(d.group) > test::group_position("FSFilter Encryption"));
    CHECK(test::group_position(d.group) < test::group_position("FSFilter Anti-Virus"));
    CHECK(d.altitude > alt("149998.99"));
    CHECK(d.altitude < alt("329998.99"));
    CHECK(d.after_legacy == "EncryptionLegacy");
    CHECK(d.before_legacy == "AVLegacy");

    // The blog's fixed shape: Frame 0 < EncryptionLegacy < Frame 1 < AVLegacy, AVMiniFilter in
    // Frame 1 with the dummy; FileInfo and luafv stay in Frame 0.
    const sim::SimResult after = sim::simulate(p.fixed_scenario);
    CHECK(test::stack_names(after) ==
          std::vector<std::string>{"Frame 0", "EncryptionLegacy", "Frame 1", "AVLegacy"});
    CHECK(test::frame_of(p.fixed_scenario, after, "AVMiniFilter") == 1);
    CHECK(test::frame_of(p.fixed_scenario, after, d.name) == 1);
    CHECK(test::frame_of(p.fixed_scenario, after, "FileInfo") == 0);
    CHECK(test::frame_of(p.fixed_scenario, after, "luafv") == 0);

    // Verified on both orders of the AVLegacy/AVMiniFilter tie, independently re-checked here.
    CHECK(p.verification.verified);
    CHECK(p.verification.exhaustive);
    CHECK(p.verification.orders_total == 2);
    CHECK(has_code(p.before_findings, sim::rule::altitude_inversion));
    CHECK(p.after_findings.empty());
    CHECK(test::clean_in_every_order(p.fixed_scenario, test::baseline_of(sc)));

    // Explanation: the dummy opens Frame 1 above EncryptionLegacy and AVMiniFilter moves there.
    REQUIRE(p.effects.size() == 1);
    CHECK(p.effects[0].opened_frame);
    CHECK(p.effects[0].frame == 1);
    CHECK(p.effects[0].below == "EncryptionLegacy");
    CHECK(p.effects[0].above == "AVLegacy");
    REQUIRE(p.effects[0].moved.size() == 1);
    CHECK(p.effects[0].moved[0].filter == "AVMiniFilter");
    CHECK(p.effects[0].moved[0].from_frame == 0);
    CHECK(p.effects[0].moved[0].to_frame == 1);
  }

  TEST_CASE("already ordered stacks need nothing") {
    for (const char *rel :
         {"scenarios/blog_example_b_fixed.yaml", "scenarios/edge/e4_filter_group_legacy.yaml",
          "scenarios/example_c_no_legacy.yaml"}) {
      CAPTURE(rel);
      const sim::Scenario sc = load(rel);
      const planner::PlanResult p = planner::plan(sc);
      CHECK(p.status == Status::ordered);
      CHECK(p.dummies.empty());
      CHECK(p.verification.verified);
      CHECK_FALSE(test::inverted_in_some_order(sc));
    }
  }

  TEST_CASE("a tie that is clean in manifest order but not in another order still gets a dummy") {
    // AVMiniFilter listed before AVLegacy: manifest order opens the frame naturally, the other
    // permitted order does not (E8). A plan must hold for both.
    const sim::Scenario sc = scenario_from_yaml(R"(
drivers:
  - {name: EncryptionLegacy, kind: legacy, group: FSFilter Encryption, start: boot}
  - {name: AVMiniFilter, group: FSFilter Anti-Virus, start: boot, altitude: 328000}
  - {name: AVLegacy, kind: legacy, group: FSFilter Anti-Virus, start: boot}
)");
    REQUIRE(sim::simulate(sc).findings.empty());
    REQUIRE(test::inverted_in_some_order(sc));
    const planner::PlanResult p = planner::plan(sc);
    REQUIRE(p.status == Status::fixed);
    CHECK(p.dummies.size() == 1);
    CHECK(test::clean_in_every_order(p.fixed_scenario, test::baseline_of(sc)));
  }

  TEST_CASE("several gaps between four legacy filters: one dummy per gap no minifilter opens") {
    // Legacy filters at 109998.99, 149998.99, 309998.99, 389998.99 (all boot). Auto-start
    // minifilters need frames in gaps 1 (120000), 2 (200000) and 3 (350000); Above (400000) loads
    // after every legacy filter and opens the top gap itself; CompMini (boot, Compression) loads
    // between Encryption and Replication and opens gap 2 itself. So gaps 1 and 3 need dummies.
    const sim::Scenario sc = scenario_from_yaml(R"(
drivers:
  - {name: OpenLegacy, kind: legacy, group: FSFilter Open File, start: boot}
  - {name: EncLegacy, kind: legacy, group: FSFilter Encryption, start: boot}
  - {name: ReplLegacy, kind: legacy, group: FSFilter Replication, start: boot}
  - {name: ActLegacy, kind: legacy, group: FSFilter Activity Monitor, start: boot}
  - {name: Mini1, group: FSFilter Physical Quota Management, start: auto, altitude: 120003}
  - {name: Mini2, group: FSFilter Cluster File System, start: auto, altitude: 200003}
  - {name: Mini3, group: FSFilter Undelete, start: auto, altitude: 345003}
  - {name: Above, group: FSFilter Top, start: auto, altitude: 400003}
  - {name: CompMini, group: FSFilter Compression, start: boot, altitude: 165003}
)");
    const planner::PlanResult p = planner::plan(sc);
    REQUIRE(p.status == Status::fixed);
    REQUIRE(p.dummies.size() == 2);
    CHECK(p.lower_bound == 2);
    for (const auto &d : p.dummies)
      check_dummy_is_well_formed(sc, d);
    CHECK(p.dummies[0].after_legacy == "OpenLegacy");
    CHECK(p.dummies[0].before_legacy == "EncLegacy");
    CHECK(p.dummies[1].after_legacy == "ReplLegacy");
    CHECK(p.dummies[1].before_legacy == "ActLegacy");
    const sim::SimResult after = sim::simulate(p.fixed_scenario);
    // A frame between every pair of consecutive legacy filters, each minifilter in its own gap.
    CHECK(test::stack_names(after) == std::vector<std::string>{"Frame 0", "OpenLegacy", "Frame 1",
                                                               "EncLegacy", "Frame 2", "ReplLegacy",
                                                               "Frame 3", "ActLegacy", "Frame 4"});
    CHECK(test::frame_of(p.fixed_scenario, after, "Mini1") == 1);
    CHECK(test::frame_of(p.fixed_scenario, after, "Mini2") == 2);
    CHECK(test::frame_of(p.fixed_scenario, after, "CompMini") == 2);
    CHECK(test::frame_of(p.fixed_scenario, after, "Mini3") == 3);
    CHECK(test::frame_of(p.fixed_scenario, after, "Above") == 4);
    CHECK(test::clean_in_every_order(p.fixed_scenario, test::baseline_of(sc)));

    // Without CompMini, gap 2 needs a dummy too.
    sim::Scenario without = sc;
    without.drivers.pop_back();
    const planner::PlanResult p3 = planner::plan(without);
    REQUIRE(p3.status == Status::fixed);
    CHECK(p3.dummies.size() == 3);
    CHECK(test::clean_in_every_order(p3.fixed_scenario, test::baseline_of(without)));
  }

  TEST_CASE("adjacent groups: a same-group dummy with an explicit tag order") {
    // FSFilter Encryption and FSFilter Compression are neighbours in ServiceGroupOrder, both legacy
    // filters are boot-start, so no (start type, group) sorts strictly between them.
    const sim::Scenario sc = scenario_from_yaml(R"(
drivers:
  - {name: EncLegacy, kind: legacy, group: FSFilter Encryption, start: boot}
  - {name: CompLegacy, kind: legacy, group: FSFilter Compression, start: boot}
  - {name: CompMini, group: FSFilter Compression, start: auto, altitude: 165003}
)");
    const planner::PlanResult p = planner::plan(sc);
    REQUIRE(p.status == Status::fixed);
    REQUIRE(p.dummies.size() == 1);
    const planner::DummyFilter &d = p.dummies[0];
    check_dummy_is_well_formed(sc, d);
    CHECK(d.placement == planner::Placement::same_group);
    CHECK(sim::iequals(d.group, "FSFilter Compression"));
    CHECK(d.start == sim::StartType::boot);
    CHECK(d.altitude > alt("149998.99"));
    CHECK(d.altitude < alt("169998.99"));
    REQUIRE(d.group_order.has_value());
    CHECK(d.group_order->created);
    // The plan says so, and the fixed scenario carries the GroupOrderList.
    CHECK_FALSE(p.notes.empty());
    REQUIRE(p.fixed_scenario.group_order_list.size() == 1);
    CHECK(p.fixed_scenario.group_order_list.begin()->second.front() == *d.tag);
    CHECK(test::clean_in_every_order(p.fixed_scenario, test::baseline_of(sc)));
    const sim::SimResult after = sim::simulate(p.fixed_scenario);
    CHECK(test::stack_names(after) ==
          std::vector<std::string>{"Frame 0", "EncLegacy", "Frame 1", "CompLegacy"});
    CHECK(test::frame_of(p.fixed_scenario, after, "CompMini") == 1);

    // The tag order is what makes it deterministic: the same dummy without Tag/GroupOrderList ties
    // with CompLegacy, and some permitted order leaves CompMini below EncLegacy.
    sim::Scenario untagged = p.fixed_scenario;
    untagged.group_order_list.clear();
    untagged.drivers.back().tag.reset();
    CHECK(test::inverted_in_some_order(untagged));
  }

  TEST_CASE("adjacent groups in different start types need no tag") {
    // CompLegacy is system-start, so a boot-start dummy in its group loads before it in every
    // order.
    const sim::Scenario sc = scenario_from_yaml(R"(
drivers:
  - {name: EncLegacy, kind: legacy, group: FSFilter Encryption, start: boot}
  - {name: CompLegacy, kind: legacy, group: FSFilter Compression, start: system}
  - {name: CompMini, group: FSFilter Compression, start: auto, altitude: 165003}
)");
    const planner::PlanResult p = planner::plan(sc);
    REQUIRE(p.status == Status::fixed);
    REQUIRE(p.dummies.size() == 1);
    CHECK(p.dummies[0].placement == planner::Placement::between_groups);
    CHECK_FALSE(p.dummies[0].tag.has_value());
    CHECK(p.dummies[0].start == sim::StartType::boot);
    check_dummy_is_well_formed(sc, p.dummies[0]);
    CHECK(test::clean_in_every_order(p.fixed_scenario, test::baseline_of(sc)));
  }

  TEST_CASE("legacy filter in the top Filter group") {
    // TopLegacy (Filter, 429998.99) attached after EncLegacy: without a frame between them R5
    // stretches Frame 0 up to 429998.99 and Monitor (385000) lands below EncLegacy.
    const sim::Scenario sc = scenario_from_yaml(R"(
drivers:
  - {name: FileInfo, group: FSFilter Bottom, start: boot, altitude: 45000}
  - {name: EncLegacy, kind: legacy, group: FSFilter Encryption, start: boot}
  - {name: TopLegacy, kind: legacy, group: Filter, start: boot}
  - {name: Monitor, group: FSFilter Activity Monitor, start: system, altitude: 385003}
)");
    REQUIRE(test::inverted_in_some_order(sc));
    const planner::PlanResult p = planner::plan(sc);
    REQUIRE(p.status == Status::fixed);
    REQUIRE(p.dummies.size() == 1);
    check_dummy_is_well_formed(sc, p.dummies[0]);
    CHECK(p.dummies[0].before_legacy == "TopLegacy");
    const sim::SimResult after = sim::simulate(p.fixed_scenario);
    CHECK(test::stack_names(after) ==
          std::vector<std::string>{"Frame 0", "EncLegacy", "Frame 1", "TopLegacy"});
    CHECK(test::frame_of(p.fixed_scenario, after, "Monitor") == 1);
    // Frame 1 reaches up to TopLegacy's altitude (R5 raised it when Monitor registered).
    CHECK(after.frames[1].high == alt("429998.99"));
    CHECK(test::clean_in_every_order(p.fixed_scenario, test::baseline_of(sc)));

    SUBCASE("a minifilter in the Filter group above FSFilter Top's legacy filter") {
      // Top (409998.99) and Filter (429998.99) are adjacent: a same-group dummy in Filter.
      const sim::Scenario s2 = scenario_from_yaml(R"(
drivers:
  - {name: TopGroupLegacy, kind: legacy, group: FSFilter Top, start: boot}
  - {name: TopLegacy, kind: legacy, group: Filter, start: boot}
  - {name: FilterMini, group: Filter, start: auto, altitude: 421003}
)");
      const planner::PlanResult q = planner::plan(s2);
      REQUIRE(q.status == Status::fixed);
      REQUIRE(q.dummies.size() == 1);
      CHECK(q.dummies[0].placement == planner::Placement::same_group);
      CHECK(q.dummies[0].group == "Filter");
      check_dummy_is_well_formed(s2, q.dummies[0]);
      CHECK(test::clean_in_every_order(q.fixed_scenario, test::baseline_of(s2)));
    }
  }

  TEST_CASE("infeasible: a legacy filter that loads after the minifilter it should sit under") {
    // EncryptionLegacy is system-start, so it attaches after the boot-start AVMiniFilter
    // registered: AVMiniFilter is in Frame 0 below it, and no dummy can change that.
    const sim::Scenario sc = scenario_from_yaml(R"(
drivers:
  - {name: FileInfo, group: FSFilter Bottom, start: boot, altitude: 45000}
  - {name: AVMiniFilter, group: FSFilter Anti-Virus, start: boot, altitude: 328000}
  - {name: EncryptionLegacy, kind: legacy, group: FSFilter Encryption, start: system}
)");
    const planner::PlanResult p = planner::plan(sc);
    REQUIRE(p.status == Status::infeasible);
    CHECK(p.dummies.empty());
    // One paragraph that names both drivers and the load-order rule.
    CHECK(p.explanation.find("AVMiniFilter") != std::string::npos);
    CHECK(p.explanation.find("EncryptionLegacy") != std::string::npos);
    CHECK(p.explanation.find("L1") != std::string::npos);
    CHECK(p.explanation.find('\n') == std::string::npos);

    // Alternatives exist and each one really works: apply its edits and dummies, re-simulate
    // every permitted order here.
    REQUIRE_FALSE(p.alternatives.empty());
    const auto baseline = test::baseline_of(sc);
    bool start_edit = false, convert_edit = false;
    for (const planner::Alternative &a : p.alternatives) {
      CAPTURE(a.description);
      CHECK(a.verification.verified);
      sim::Diagnostic error;
      auto edited = planner::apply_edits(sc, a.edits, &error);
      REQUIRE_MESSAGE(edited.has_value(), error.message);
      const sim::Scenario full = planner::apply_dummies(*edited, a.dummies);
      CHECK(test::clean_in_every_order(full, baseline));
      for (const planner::Edit &e : a.edits) {
        if (e.driver == "EncryptionLegacy" && e.field == planner::EditField::start &&
            e.value == "boot")
          start_edit = true;
        if (e.driver == "EncryptionLegacy" && e.field == planner::EditField::kind)
          convert_edit = true;
      }
    }
    CHECK(start_edit);
    CHECK(convert_edit);
  }

  TEST_CASE("infeasible: a minifilter whose group loads too early gets a group change") {
    // AVScanner's altitude is in the Anti-Virus range, but its group is FSFilter Bottom, so it
    // registers (boot) before EncLegacy attaches and stays in Frame 0 below it.
    const sim::Scenario sc = scenario_from_yaml(R"(
drivers:
  - {name: EncLegacy, kind: legacy, group: FSFilter Encryption, start: boot}
  - {name: AVScanner, group: FSFilter Bottom, start: boot, altitude: 328003}
)");
    const planner::PlanResult p = planner::plan(sc);
    REQUIRE(p.status == Status::infeasible);
    CHECK(p.explanation.find("ServiceGroupOrder") != std::string::npos);
    bool group_change = false;
    for (const planner::Alternative &a : p.alternatives) {
      for (const planner::Edit &e : a.edits)
        if (e.driver == "AVScanner" && e.field == planner::EditField::group &&
            e.value == "FSFilter Anti-Virus")
          group_change = true;
      auto edited = planner::apply_edits(sc, a.edits);
      REQUIRE(edited.has_value());
      CHECK(test::clean_in_every_order(planner::apply_dummies(*edited, a.dummies),
                                       test::baseline_of(sc)));
    }
    CHECK(group_change);
  }

  TEST_CASE("infeasible: a tie between a minifilter and the legacy filter below it") {
    // EncLegacy and EncMini share group and start type; EncMini (149999.5) belongs above
    // EncLegacy (149998.99), but in one permitted order it registers first.
    const sim::Scenario sc = scenario_from_yaml(R"(
drivers:
  - {name: EncLegacy, kind: legacy, group: FSFilter Encryption, start: boot}
  - {name: EncMini, group: FSFilter Encryption, start: boot, altitude: 149999.5}
)");
    const planner::PlanResult p = planner::plan(sc);
    REQUIRE(p.status == Status::infeasible);
    CHECK(p.explanation.find("random") != std::string::npos);
    bool tag_order = false;
    for (const planner::Alternative &a : p.alternatives) {
      for (const planner::Edit &e : a.edits)
        if (e.field == planner::EditField::group_order_list)
          tag_order = true;
      auto edited = planner::apply_edits(sc, a.edits);
      REQUIRE(edited.has_value());
      CHECK(test::clean_in_every_order(planner::apply_dummies(*edited, a.dummies),
                                       test::baseline_of(sc)));
    }
    CHECK(tag_order);
  }

  TEST_CASE("infeasible: a legacy filter loaded by an event after boot (E5)") {
    const sim::Scenario sc = load("scenarios/edge/e5_late_legacy.yaml");
    REQUIRE(test::inverted_in_some_order(sc));
    const planner::PlanResult p = planner::plan(sc);
    CHECK(p.status == Status::infeasible);
    CHECK(p.explanation.find("L5") != std::string::npos);
    bool boot_start = false;
    for (const planner::Alternative &a : p.alternatives) {
      for (const planner::Edit &e : a.edits)
        if (e.driver == "EncryptionLegacy" && e.field == planner::EditField::start &&
            e.value == "boot")
          boot_start = true;
      auto edited = planner::apply_edits(sc, a.edits);
      REQUIRE(edited.has_value());
      CHECK(test::clean_in_every_order(planner::apply_dummies(*edited, a.dummies),
                                       test::baseline_of(sc)));
    }
    // Boot start (and no `fltmc load` event any more) puts it below bindflt's frame.
    CHECK(boot_start);
  }

  TEST_CASE("--own-altitude: fractions of the company's altitude when its group fits") {
    const sim::Scenario sc = load("scenarios/blog_example_a.yaml");
    SUBCASE("own altitude in a group between the two legacy filters") {
      planner::Options o;
      o.own_altitudes = {alt("265000")}; // FSFilter Content Screener
      const planner::PlanResult p = planner::plan(sc, o);
      REQUIRE(p.status == Status::fixed);
      REQUIRE(p.dummies.size() == 1);
      const planner::DummyFilter &d = p.dummies[0];
      CHECK(d.own_altitude);
      CHECK(d.group == "FSFilter Content Screener");
      CHECK(d.altitude > alt("265000"));
      CHECK(d.altitude < alt("265001"));
      CHECK_FALSE(d.altitude.fraction_digits().empty());
      check_dummy_is_well_formed(sc, d);
      CHECK(test::clean_in_every_order(p.fixed_scenario, test::baseline_of(sc)));
    }
    SUBCASE("the first fraction is taken by another driver") {
      sim::Scenario taken = sc;
      taken.drivers.push_back(
          scenario_from_yaml("drivers:\n  - {name: Other, group: FSFilter Content Screener, "
                             "start: demand, altitude: 265000.1}\n")
              .drivers[0]);
      planner::Options o;
      o.own_altitudes = {alt("265000")};
      const planner::PlanResult p = planner::plan(taken, o);
      REQUIRE(p.status == Status::fixed);
      CHECK(p.dummies[0].own_altitude);
      CHECK_FALSE(p.dummies[0].altitude == alt("265000.1"));
      CHECK(p.dummies[0].altitude > alt("265000"));
    }
    SUBCASE("own altitude in a group that cannot load between them") {
      planner::Options o;
      o.own_altitudes = {alt("385000")}; // Activity Monitor loads after AVLegacy
      const planner::PlanResult p = planner::plan(sc, o);
      REQUIRE(p.status == Status::fixed);
      CHECK_FALSE(p.dummies[0].own_altitude);
      CHECK(p.dummies[0].altitude < alt("329998.99"));
      CHECK_FALSE(p.notes.empty());
    }
  }

  TEST_CASE("dummy altitudes avoid the scenario's altitudes and the allocated list") {
    sim::Scenario sc = load("scenarios/blog_example_a.yaml");
    const planner::PlanResult first = planner::plan(sc);
    REQUIRE(first.status == Status::fixed);
    // Occupy the altitude it chose: the next plan must pick another one.
    sim::Driver other = scenario_from_yaml("drivers:\n  - {name: Other, group: FSFilter "
                                           "Compression, start: demand, altitude: 1}\n")
                            .drivers[0];
    other.instances[0].altitude = first.dummies[0].altitude;
    sc.drivers.push_back(other);
    const planner::PlanResult second = planner::plan(sc);
    REQUIRE(second.status == Status::fixed);
    CHECK_FALSE(second.dummies[0].altitude == first.dummies[0].altitude);
    check_dummy_is_well_formed(sc, second.dummies[0]);
  }

  TEST_CASE("limits: the budget and the cancellation callback stop the planner cleanly") {
    const sim::Scenario sc = load("scenarios/blog_example_a.yaml");
    SUBCASE("budget") {
      planner::Options o;
      o.max_simulations = 2;
      const planner::PlanResult p = planner::plan(sc, o);
      CHECK(p.status == Status::budget_exhausted);
      CHECK(p.dummies.empty());
      CHECK_FALSE(p.explanation.empty());
      CHECK(p.simulations <= 2);
    }
    SUBCASE("cancel") {
      planner::Options o;
      int calls = 0;
      o.should_stop = [&] { return ++calls > 1; };
      const planner::PlanResult p = planner::plan(sc, o);
      CHECK(p.status == Status::cancelled);
      CHECK(p.dummies.empty());
    }
    SUBCASE("progress is reported") {
      planner::Options o;
      std::vector<std::string> stages;
      o.on_progress = [&](const planner::Progress &pr) { stages.push_back(pr.stage); };
      const planner::PlanResult p = planner::plan(sc, o);
      CHECK(p.status == Status::fixed);
      CHECK(std::find(stages.begin(), stages.end(), "verify plan") != stages.end());
    }
  }

  TEST_CASE("sampled verification is stated when the orders are too many") {
    // Nine untagged minifilters in one group and start type: 9! = 362880 orders.
    std::string yaml = "drivers:\n"
                       "  - {name: EncLegacy, kind: legacy, group: FSFilter Encryption, start: "
                       "boot}\n"
                       "  - {name: AVLegacy, kind: legacy, group: FSFilter Anti-Virus, start: "
                       "boot}\n";
    for (int i = 0; i < 9; ++i)
      yaml += "  - {name: Scan" + std::to_string(i) +
              ", group: FSFilter Activity Monitor, start: auto, altitude: 32100" +
              std::to_string(i) + "}\n";
    const sim::Scenario sc = scenario_from_yaml(yaml);
    planner::Options o;
    o.sample_orders = 50;
    const planner::PlanResult p = planner::plan(sc, o);
    REQUIRE(p.status == Status::fixed);
    CHECK_FALSE(p.verification.exhaustive);
    CHECK(p.verification.orders_total == 362880);
    CHECK(p.verification.orders_simulated == 50);
    CHECK(p.verification.sample_seed == o.sample_seed);
  }

  TEST_CASE("verify() and the edit helpers") {
    const sim::Scenario a = load("scenarios/blog_example_a.yaml");
    const sim::Scenario b = load("scenarios/blog_example_b_fixed.yaml");
    CHECK_FALSE(planner::verify(a, sim::simulate(a).findings).verified);
    const planner::Verification vb = planner::verify(b, {});
    CHECK(vb.verified);
    CHECK(vb.orders_total == 2);

    sim::Diagnostic error;
    CHECK_FALSE(
        planner::apply_edits(a, {{"NoSuchDriver", planner::EditField::start, "boot", {}}}, &error));
    CHECK(error.code == "invalid-edit");
    CHECK(error.message.find("NoSuchDriver") != std::string::npos);
    CHECK_FALSE(
        planner::apply_edits(a, {{"AVLegacy", planner::EditField::start, "sometimes", {}}}));
    auto edited =
        planner::apply_edits(a, {{"AVLegacy", planner::EditField::kind, "minifilter", {}},
                                 {"AVLegacy", planner::EditField::altitude, "329000", {}}});
    REQUIRE(edited.has_value());
    const sim::Driver &d =
        edited->drivers[static_cast<std::size_t>(edited->find_driver("AVLegacy"))];
    CHECK(d.kind == sim::DriverKind::minifilter);
    REQUIRE(d.find_default_instance() != nullptr);
    CHECK(d.find_default_instance()->altitude == alt("329000"));
  }

} // TEST_SUITE
