// The planner's dummy count is minimal: on small stacks a brute-force search over every set of
// candidate dummies (every load order group, boot or system start, untagged, plus a tagged
// variant that loads first in its group) finds no working plan with fewer dummies. Working means
// what docs/planner.md's verification asks: no altitude-inversion and no new finding in any
// permitted tie order. Also: on random scenarios from the property tests' generator, every status
// the planner reports is backed by the engine.
#include <doctest/doctest.h>

#include <random>

#include "fltsim/planner/planner.hpp"
#include "fltsim/sim/allocated.hpp"
#include "planner_support.hpp"
#include "random_scenario.hpp"

using namespace fltsim;
using planner::Status;

namespace {

/// A pool of candidate dummies for `sc`: every documented group (bar Infrastructure) at an
/// altitude of its range that the scenario does not use, boot and system start, plus a
/// boot-start tag-1 variant (raw tag 1 loads first in an untagged group, L3).
std::vector<sim::Driver> dummy_pool(const sim::Scenario &sc) {
  std::vector<sim::Driver> pool;
  std::set<std::string> used;
  for (const auto &d : sc.drivers)
    for (const auto &i : d.instances)
      used.insert(i.altitude.canonical());
  int k = 0;
  for (const sim::GroupInfo &g : sim::documented_groups()) {
    if (g.legacy_altitude.empty())
      continue;
    std::uint64_t a = std::stoull(std::string(g.low)) + 7;
    while (used.contains(std::to_string(a)))
      ++a;
    for (int variant = 0; variant < 3; ++variant) {
      sim::Driver d;
      d.name = "Brute" + std::to_string(k++);
      d.kind = sim::DriverKind::minifilter;
      d.group = std::string(g.name);
      d.start = variant == 1 ? sim::StartType::system : sim::StartType::boot;
      if (variant == 2)
        d.tag = 1;
      d.instances.push_back(
          {d.name + " Instance", sim::Altitude::from_literal(std::to_string(a)), 0x1, {}, {}});
      d.default_instance = d.name + " Instance";
      pool.push_back(std::move(d));
    }
  }
  return pool;
}

/// True if some set of exactly `k` pool dummies fixes `sc`.
bool some_plan_of_size(const sim::Scenario &sc, const std::vector<sim::Driver> &pool, std::size_t k,
                       const std::set<std::string> &baseline) {
  if (k == 0)
    return test::clean_in_every_order(sc, baseline);
  std::vector<std::size_t> pick(k);
  for (std::size_t i = 0; i < k; ++i)
    pick[i] = i;
  const std::size_t n = pool.size();
  for (;;) {
    sim::Scenario s = sc;
    std::set<std::string> groups;
    bool distinct_groups = true;
    for (std::size_t i : pick) {
      s.drivers.push_back(pool[i]);
      distinct_groups = distinct_groups && groups.insert(*pool[i].group).second;
    }
    // Two pool dummies share an altitude only when they share a group; skip those sets (they
    // collide, and one dummy per group already covers them).
    if (distinct_groups && test::clean_in_every_order(s, baseline))
      return true;
    std::size_t i = k;
    while (i > 0 && pick[i - 1] == n - k + i - 1)
      --i;
    if (i == 0)
      return false;
    ++pick[i - 1];
    for (std::size_t j = i; j < k; ++j)
      pick[j] = pick[j - 1] + 1;
  }
}

/// Small stacks: 2-5 legacy filters (one in five system-start) and 2-6 untagged minifilters in
/// random groups and start types (half auto, else boot or system), altitudes inside their group's
/// range.
sim::Scenario small_stack(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  std::vector<const sim::GroupInfo *> groups;
  for (const sim::GroupInfo &g : sim::documented_groups())
    if (!g.legacy_altitude.empty() && std::string(g.name) != "FSFilter System")
      groups.push_back(&g);
  sim::Scenario sc;
  sc.title = "small stack " + std::to_string(seed);
  const std::size_t legacies = 2 + pick(4);
  for (std::size_t i = 0; i < legacies; ++i) {
    sim::Driver d;
    d.name = "Legacy" + std::to_string(i);
    d.kind = sim::DriverKind::legacy;
    d.group = std::string(groups[pick(groups.size())]->name);
    d.start = pick(5) == 0 ? sim::StartType::system : sim::StartType::boot;
    sc.drivers.push_back(std::move(d));
  }
  const std::size_t minis = 2 + pick(5);
  for (std::size_t i = 0; i < minis; ++i) {
    const sim::GroupInfo &g = *groups[pick(groups.size())];
    sim::Driver d;
    d.name = "Mini" + std::to_string(i);
    d.group = std::string(g.name);
    // Half of them auto-start: they load after every legacy filter and need frames made for them.
    d.start = pick(2) == 0 ? sim::StartType::automatic : static_cast<sim::StartType>(pick(2));
    const auto lo = std::stoull(std::string(g.low)) / 10;
    const auto hi = std::stoull(std::string(g.high)) / 10;
    // Altitudes end in 3, so they never meet the pool's (low + 7) or a legacy's.
    const std::string a = std::to_string((lo + pick(hi - lo)) * 10 + 3);
    d.instances.push_back({d.name + " Instance", sim::Altitude::from_literal(a), 0, {}, {}});
    d.default_instance = d.name + " Instance";
    sc.drivers.push_back(std::move(d));
  }
  return sc;
}

} // namespace

TEST_SUITE("planner minimality") {

  TEST_CASE("brute force finds no plan with fewer dummies than the planner") {
    int fixed = 0, multi = 0, ordered = 0, infeasible = 0;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
      const sim::Scenario sc = small_stack(seed);
      CAPTURE(seed);
      const planner::PlanResult p = planner::plan(sc);
      const auto baseline = test::baseline_of(sc);
      const auto pool = dummy_pool(sc);
      switch (p.status) {
      case Status::ordered:
        ++ordered;
        CHECK(test::clean_in_every_order(sc, baseline));
        break;
      case Status::fixed: {
        ++fixed;
        if (p.dummies.size() > 1)
          ++multi;
        // The plan has the size of the analytic lower bound, it works (independent oracle) ...
        CHECK(p.dummies.size() == p.lower_bound);
        CHECK(test::clean_in_every_order(p.fixed_scenario, baseline));
        // ... and nothing smaller does. Sizes up to 2 are searched exhaustively over the pool.
        for (std::size_t k = 0; k < p.dummies.size() && k <= 2; ++k) {
          CAPTURE(k);
          CHECK_FALSE(some_plan_of_size(sc, pool, k, baseline));
        }
        break;
      }
      case Status::infeasible:
        ++infeasible;
        // No plan of one pool dummy (or none) works either.
        for (std::size_t k = 0; k <= 1; ++k) {
          CAPTURE(k);
          CHECK_FALSE(some_plan_of_size(sc, pool, k, baseline));
        }
        break;
      default:
        FAIL("unexpected status ", planner::to_string(p.status));
      }
    }
    MESSAGE("fixed ", fixed, " (", multi, " with 2+ dummies), ordered ", ordered, ", infeasible ",
            infeasible);
    // The generator covers every outcome, including plans with several dummies.
    CHECK(fixed > 5);
    CHECK(multi > 0);
    CHECK(ordered > 0);
    CHECK(infeasible > 0);
  }

  TEST_CASE("the several-gaps stack: one and two dummies are not enough, three are") {
    const sim::Scenario sc = test::scenario_from_yaml(R"(
drivers:
  - {name: OpenLegacy, kind: legacy, group: FSFilter Open File, start: boot}
  - {name: EncLegacy, kind: legacy, group: FSFilter Encryption, start: boot}
  - {name: ReplLegacy, kind: legacy, group: FSFilter Replication, start: boot}
  - {name: ActLegacy, kind: legacy, group: FSFilter Activity Monitor, start: boot}
  - {name: Mini1, group: FSFilter Physical Quota Management, start: auto, altitude: 120003}
  - {name: Mini2, group: FSFilter Cluster File System, start: auto, altitude: 200003}
  - {name: Mini3, group: FSFilter Undelete, start: auto, altitude: 345003}
)");
    const planner::PlanResult p = planner::plan(sc);
    REQUIRE(p.status == Status::fixed);
    CHECK(p.dummies.size() == 3);
    const auto baseline = test::baseline_of(sc);
    const auto pool = dummy_pool(sc);
    CHECK_FALSE(some_plan_of_size(sc, pool, 1, baseline));
    CHECK_FALSE(some_plan_of_size(sc, pool, 2, baseline));
    CHECK(test::clean_in_every_order(p.fixed_scenario, baseline));
  }

  TEST_CASE("random scenarios: every status the planner reports is backed by the engine") {
    test::RandomScenarioOptions o;
    int counts[5] = {};
    for (std::uint64_t seed = 1; seed <= 150; ++seed) {
      o.drivers = 4 + seed % 12;
      const sim::Scenario sc = test::random_scenario(seed, o);
      if (!sim::simulate(sc).input_errors.empty() || test::total_orders(sc) > 5040)
        continue;
      CAPTURE(seed);
      planner::Options opt;
      opt.max_exhaustive_orders = 100000; // exhaustive, so the oracle below sees the same orders
      opt.max_candidate_plans = 200;
      const planner::PlanResult p = planner::plan(sc, opt);
      ++counts[static_cast<int>(p.status)];
      const auto baseline = test::baseline_of(sc);
      switch (p.status) {
      case Status::ordered:
        CHECK(p.dummies.empty());
        CHECK(test::clean_in_every_order(sc, baseline));
        break;
      case Status::fixed:
        CHECK(test::inverted_in_some_order(sc));
        CHECK(test::clean_in_every_order(p.fixed_scenario, baseline));
        for (const auto &d : p.dummies) {
          CHECK_FALSE(sim::builtin_allocated_altitudes().is_allocated(d.altitude));
          const sim::GroupInfo *g = sim::find_group(d.group);
          REQUIRE(g != nullptr);
          CHECK(d.altitude >= sim::Altitude::from_literal(g->low));
          CHECK(d.altitude <= sim::Altitude::from_literal(g->high));
        }
        break;
      case Status::infeasible:
        CHECK(p.dummies.empty());
        CHECK_FALSE(p.explanation.empty());
        for (const auto &a : p.alternatives) {
          auto edited = planner::apply_edits(sc, a.edits);
          REQUIRE(edited.has_value());
          CHECK(test::clean_in_every_order(planner::apply_dummies(*edited, a.dummies), baseline));
        }
        break;
      case Status::budget_exhausted:
      case Status::cancelled:
        CHECK(p.dummies.empty());
        break;
      }
    }
    MESSAGE("ordered ", counts[0], ", fixed ", counts[1], ", infeasible ", counts[2],
            ", budget-exhausted ", counts[3]);
    CHECK(counts[1] > 0);
  }

} // TEST_SUITE
