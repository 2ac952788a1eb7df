#pragma once
// Seeded generator of valid random scenarios with realistic mixes of groups, start types, legacy
// filters, tags and events. Used by property tests, the engine fuzz harness and benchmarks.
#include <cstdint>
#include <random>
#include <string>

#include "fltsim/sim/groups.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::test {

struct RandomScenarioOptions {
  std::size_t drivers = 20;
  double legacy_share = 0.15;   ///< fraction of legacy filters
  double both_share = 0.02;     ///< fraction of kind: both
  double demand_share = 0.15;   ///< demand-start drivers (loaded by events)
  double tag_share = 0.3;       ///< drivers with a Tag
  double no_group_share = 0.03; ///< drivers with no group
  double unknown_group_share = 0.02;
  bool fractional_altitudes = true;
  std::size_t max_instances = 3;
};

inline sim::Scenario random_scenario(std::uint64_t seed, const RandomScenarioOptions &o = {}) {
  std::mt19937_64 rng(seed);
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  const auto groups = sim::documented_groups();
  sim::Scenario sc;
  sc.title = "random scenario " + std::to_string(seed);
  std::vector<std::size_t> demand;
  for (std::size_t i = 0; i < o.drivers; ++i) {
    sim::Driver d;
    d.name = "drv" + std::to_string(i);
    const double k = std::uniform_real_distribution<double>(0, 1)(rng);
    d.kind = k < o.legacy_share                  ? sim::DriverKind::legacy
             : k < o.legacy_share + o.both_share ? sim::DriverKind::both
                                                 : sim::DriverKind::minifilter;
    const sim::GroupInfo &g = groups[pick(groups.size())];
    if (chance(o.no_group_share)) {
      // no group
    } else if (chance(o.unknown_group_share)) {
      d.group = "Custom Group " + std::to_string(pick(3));
    } else {
      d.group = std::string(g.name);
    }
    if (d.kind == sim::DriverKind::legacy)
      d.start = chance(0.8) ? sim::StartType::boot : sim::StartType::system;
    else if (chance(o.demand_share))
      d.start = sim::StartType::demand;
    else
      d.start = static_cast<sim::StartType>(pick(3));
    if (chance(o.tag_share))
      d.tag = static_cast<std::uint32_t>(1 + pick(8));
    if (d.kind != sim::DriverKind::legacy) {
      // Altitude inside the group's range (or anywhere for no/unknown group), unique-ish.
      const auto lo = std::stoul(std::string(g.low));
      const auto hi = std::stoul(std::string(g.high));
      const std::size_t n_inst = 1 + pick(o.max_instances);
      for (std::size_t k2 = 0; k2 < n_inst; ++k2) {
        std::string alt = std::to_string(lo + pick(hi - lo + 1));
        if (o.fractional_altitudes && chance(0.1))
          alt += "." + std::to_string(1 + pick(9));
        d.instances.push_back({"inst" + std::to_string(k2),
                               sim::Altitude::from_literal(alt),
                               static_cast<std::uint32_t>(chance(0.2) ? 1 : 0),
                               {},
                               {}});
      }
      d.default_instance = "inst0";
    }
    if (d.start == sim::StartType::demand)
      demand.push_back(i);
    sc.drivers.push_back(std::move(d));
  }
  for (std::size_t i : demand) {
    sc.events.push_back({sim::Event::Kind::load, sc.drivers[i].name, {}});
    if (chance(0.2)) {
      sc.events.push_back({sim::Event::Kind::unload, sc.drivers[i].name, {}});
      if (chance(0.5))
        sc.events.push_back({sim::Event::Kind::load, sc.drivers[i].name, {}});
    }
  }
  return sc;
}

} // namespace fltsim::test
