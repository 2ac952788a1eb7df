// Feeds valid scenarios to the engine and the planner (when built) and checks invariants:
// frames contiguous from 0 and ordered, every minifilter inside its frame's range and in exactly
// one frame, the stack equal to the narrated registration order, determinism, clean stops at any
// step, and reproducible tie-order exploration claims.
//
// Two generators, chosen by the first byte: tests/random_scenario.hpp (realistic mixes, seeded
// from the input) and a byte-directed builder that reaches corners the seeded generator does not
// (duplicate and cyclic dependencies, custom ServiceGroupOrder and GroupOrderList, odd altitudes,
// events naming unknown drivers, volumes and attach lists).
#include <cstdint>
#include <string>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "fltsim/sim/groups.hpp"
#ifdef FLTSIM_FUZZ_WITH_PLANNER
#include <algorithm>

#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/planner/planner.hpp"
#endif
#include "fuzz_common.hpp"
#include "random_scenario.hpp"

using namespace fltsim;

namespace {

std::string altitude_text(FuzzedDataProvider &in, const sim::GroupInfo &g) {
  switch (in.ConsumeIntegralInRange<int>(0, 5)) {
  case 0: { // inside the documented group range, as random_scenario does
    const auto lo = std::stoul(std::string(g.low));
    const auto hi = std::stoul(std::string(g.high));
    return std::to_string(in.ConsumeIntegralInRange<unsigned long>(lo, hi));
  }
  case 1: // exactly a group boundary or a legacy altitude
    return std::string(in.ConsumeBool() ? g.low : g.high);
  case 2: { // digits with an optional fraction, leading zeros allowed (A1)
    std::string s = std::to_string(in.ConsumeIntegralInRange<unsigned>(0, 500000));
    if (in.ConsumeBool())
      s = std::string(in.ConsumeIntegralInRange<std::size_t>(0, 3), '0') + s;
    if (in.ConsumeBool())
      s += "." + std::to_string(in.ConsumeIntegralInRange<unsigned>(0, 999));
    return s;
  }
  case 3: // frame-boundary values of R1/R4
    return in.PickValueInArray({"0", "49999", "50000", "49999.5", "409800", "329998.99"});
  case 4: { // long but valid
    std::string s(in.ConsumeIntegralInRange<std::size_t>(1, sim::Altitude::max_length - 2), '9');
    return in.ConsumeBool() ? s : "1." + s;
  }
  default:
    return std::to_string(in.ConsumeIntegralInRange<unsigned>(20000, 429999));
  }
}

sim::Scenario build_scenario(FuzzedDataProvider &in) {
  const auto groups = sim::documented_groups();
  sim::Scenario sc;
  sc.title = "fuzz";
  const std::size_t nvol = in.ConsumeIntegralInRange<std::size_t>(0, 3);
  for (std::size_t v = 0; v < nvol; ++v)
    sc.volumes.push_back(in.PickValueInArray({"C:", "D:", "E:", "\\Device\\X"}));
  const std::size_t n = in.ConsumeIntegralInRange<std::size_t>(0, 24);
  auto group_name = [&]() -> std::optional<std::string> {
    switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0:
      return std::nullopt;
    case 1:
      return "Custom Group " + std::to_string(in.ConsumeIntegralInRange<int>(0, 2));
    case 2:
      return sim::ascii_lower(
          std::string(groups[in.ConsumeIntegralInRange<std::size_t>(0, groups.size() - 1)].name));
    default:
      return std::string(groups[in.ConsumeIntegralInRange<std::size_t>(0, groups.size() - 1)].name);
    }
  };
  for (std::size_t i = 0; i < n && in.remaining_bytes() > 0; ++i) {
    sim::Driver d;
    // Mostly unique names; sometimes a clash (case-insensitive duplicate) or FltMgr itself.
    switch (in.ConsumeIntegralInRange<int>(0, 15)) {
    case 0:
      d.name = "DRV" + std::to_string(in.ConsumeIntegralInRange<std::size_t>(0, n));
      break;
    case 1:
      d.name = "FltMgr";
      break;
    default:
      d.name = "drv" + std::to_string(i);
    }
    const int kind = in.ConsumeIntegralInRange<int>(0, 9);
    d.kind = kind < 6   ? sim::DriverKind::minifilter
             : kind < 9 ? sim::DriverKind::legacy
                        : sim::DriverKind::both;
    d.group = group_name();
    d.start = static_cast<sim::StartType>(in.ConsumeIntegralInRange<int>(0, 4));
    if (in.ConsumeBool())
      d.tag = in.ConsumeIntegralInRange<std::uint32_t>(0, 10);
    const std::size_t ndeps = in.ConsumeIntegralInRange<std::size_t>(0, 2);
    for (std::size_t k = 0; k < ndeps; ++k)
      d.depends_on.push_back(
          in.ConsumeBool() ? "drv" + std::to_string(in.ConsumeIntegralInRange<std::size_t>(0, n))
                           : in.PickValueInArray({"FltMgr", "Missing", "fltmgr"}));
    if (d.kind != sim::DriverKind::legacy) {
      const sim::GroupInfo &g =
          groups[in.ConsumeIntegralInRange<std::size_t>(0, groups.size() - 1)];
      const std::size_t ninst = in.ConsumeIntegralInRange<std::size_t>(0, 3);
      for (std::size_t k = 0; k < ninst; ++k) {
        sim::Instance inst{"inst" + std::to_string(k),
                           sim::Altitude::from_literal(altitude_text(in, g)),
                           in.ConsumeIntegralInRange<std::uint32_t>(0, 3),
                           {},
                           {}};
        if (!sc.volumes.empty() && in.ConsumeBool())
          inst.attach.push_back(
              sc.volumes[in.ConsumeIntegralInRange<std::size_t>(0, sc.volumes.size() - 1)]);
        d.instances.push_back(std::move(inst));
      }
      if (in.ConsumeIntegralInRange<int>(0, 7) != 0 || d.instances.empty())
        d.default_instance =
            "inst" + std::to_string(in.ConsumeIntegralInRange<std::size_t>(0, ninst));
    }
    sc.drivers.push_back(std::move(d));
  }
  if (in.ConsumeIntegralInRange<int>(0, 5) == 0) { // ServiceGroupOrder override
    std::vector<std::string> order;
    const std::size_t k = in.ConsumeIntegralInRange<std::size_t>(0, 8);
    for (std::size_t i = 0; i < k; ++i)
      if (auto g = group_name())
        order.push_back(*g);
    sc.service_group_order = std::move(order);
  }
  if (in.ConsumeIntegralInRange<int>(0, 3) == 0) { // GroupOrderList
    const std::size_t k = in.ConsumeIntegralInRange<std::size_t>(1, 3);
    for (std::size_t i = 0; i < k; ++i)
      if (auto g = group_name()) {
        std::vector<std::uint32_t> tags;
        const std::size_t nt = in.ConsumeIntegralInRange<std::size_t>(0, 6);
        for (std::size_t t = 0; t < nt; ++t)
          tags.push_back(in.ConsumeIntegralInRange<std::uint32_t>(0, 10));
        sc.group_order_list[*g] = std::move(tags);
      }
  }
  const std::size_t nev = in.ConsumeIntegralInRange<std::size_t>(0, 12);
  for (std::size_t e = 0; e < nev && !sc.drivers.empty(); ++e) {
    sim::Event ev;
    ev.kind = in.ConsumeBool() ? sim::Event::Kind::load : sim::Event::Kind::unload;
    ev.driver =
        in.ConsumeIntegralInRange<int>(0, 9) == 0
            ? std::string("nosuchdriver")
            : sc.drivers[in.ConsumeIntegralInRange<std::size_t>(0, sc.drivers.size() - 1)].name;
    sc.events.push_back(std::move(ev));
  }
  return sc;
}

#ifdef FLTSIM_FUZZ_WITH_PLANNER
bool has_inversion(const std::vector<sim::Finding> &findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const sim::Finding &f) { return f.code == sim::rule::altitude_inversion; });
}

// Planner invariants under small budgets: a reported fix really removes every inversion and
// loads back from the YAML the CLI writes; nothing unverified is reported; limits hold.
void check_planner(const sim::Scenario &sc, FuzzedDataProvider &in) {
  planner::Options o;
  o.max_exhaustive_orders = 24;
  o.sample_orders = 8;
  o.max_simulations = 400;
  o.max_candidate_plans = 20;
  o.max_dummies = 4;
  o.alternatives = in.ConsumeBool();
  o.max_alternatives = 2;
  o.avoid_allocated = in.ConsumeBool();
  const planner::PlanResult p = planner::plan(sc, o);
  FUZZ_CHECK(p.simulations <= o.max_simulations);
  FUZZ_CHECK(p.candidate_plans <= o.max_candidate_plans);
  if (!sim::simulate(sc).input_errors.empty()) {
    FUZZ_CHECK(p.status == planner::Status::infeasible);
    FUZZ_CHECK(p.dummies.empty());
    return;
  }
  switch (p.status) {
  case planner::Status::ordered:
    FUZZ_CHECK(p.dummies.empty());
    FUZZ_CHECK(!has_inversion(sim::simulate(sc).findings));
    break;
  case planner::Status::fixed: {
    FUZZ_CHECK(!p.dummies.empty());
    FUZZ_CHECK(p.dummies.size() <= o.max_dummies);
    FUZZ_CHECK(p.verification.verified);
    FUZZ_CHECK(p.effects.size() == p.dummies.size());
    FUZZ_CHECK(p.fixed_scenario.drivers.size() == sc.drivers.size() + p.dummies.size());
    const sim::SimResult after = sim::simulate(p.fixed_scenario);
    FUZZ_CHECK(after.input_errors.empty());
    FUZZ_CHECK(!has_inversion(after.findings));
    const sim::Scenario again = planner::apply_dummies(sc, p.dummies);
    FUZZ_CHECK(sim::outcome_signature(sim::simulate(again)) == sim::outcome_signature(after));
    // `fltsim plan --emit-scenario` writes this YAML; it must load back to the same stack.
    const manifest::ScenarioLoad back = manifest::parse_scenario_yaml(
        manifest::write_scenario_yaml(p.fixed_scenario, "plan"), "fixed.yaml");
    FUZZ_CHECK(back.scenario.has_value());
    FUZZ_CHECK(sim::outcome_signature(sim::simulate(*back.scenario)) ==
               sim::outcome_signature(after));
    break;
  }
  case planner::Status::infeasible:
  case planner::Status::budget_exhausted:
  case planner::Status::cancelled:
    FUZZ_CHECK(p.dummies.empty());
    break;
  }
  for (const planner::Alternative &a : p.alternatives) {
    FUZZ_CHECK(a.verification.verified);
    FUZZ_CHECK(planner::apply_edits(sc, a.edits).has_value());
  }
  // A stop request is honoured before any simulation.
  planner::Options stop = o;
  stop.should_stop = [] { return true; };
  const planner::PlanResult s = planner::plan(sc, stop);
  FUZZ_CHECK(s.dummies.empty());
  FUZZ_CHECK(s.simulations <= 1);
}
#endif

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  sim::Scenario sc;
  if (in.ConsumeBool()) {
    test::RandomScenarioOptions o;
    o.drivers = in.ConsumeIntegralInRange<std::size_t>(1, 60);
    o.legacy_share = in.ConsumeProbability<double>() * 0.5;
    o.both_share = in.ConsumeProbability<double>() * 0.2;
    o.demand_share = in.ConsumeProbability<double>() * 0.5;
    o.tag_share = in.ConsumeProbability<double>();
    o.no_group_share = in.ConsumeProbability<double>() * 0.2;
    o.unknown_group_share = in.ConsumeProbability<double>() * 0.2;
    o.fractional_altitudes = in.ConsumeBool();
    o.max_instances = in.ConsumeIntegralInRange<std::size_t>(1, 4);
    sc = test::random_scenario(in.ConsumeIntegral<std::uint64_t>(), o);
  } else {
    sc = build_scenario(in);
  }
  const auto stop_step = in.ConsumeIntegral<std::uint64_t>();
  const auto max_orders = in.ConsumeIntegral<std::uint64_t>();
  fuzz::check_engine(sc, stop_step, max_orders);
#ifdef FLTSIM_FUZZ_WITH_PLANNER
  check_planner(sc, in);
#endif
  return 0;
}
