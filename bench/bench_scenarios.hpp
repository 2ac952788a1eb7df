#pragma once
// Synthetic inputs for the benchmarks: the seeded generator of the property tests
// (tests/random_scenario.hpp: realistic mixes of groups, start types, legacy filters, tags and
// events) plus what real machine stacks also have and that generator leaves out: DependOnService
// (most minifilters depend on FltMgr, a few services on each other), and two volumes.
//
// Inputs are generated once per size and cached, so a benchmark's timing loop measures only the
// stage it names.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>

#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/sim/scenario.hpp"
#include "random_scenario.hpp"

namespace fltsim::bench {

inline constexpr std::uint64_t kSeed = 20240611;

/// Driver mixes.
///  * fleet: the property tests' mix of groups, start types, tags and events, with at most ~8
///    legacy filters and ~2 `kind: both` drivers whatever the size, as on real machines, where
///    legacy filters are a handful (often none) however many minifilters there are.
///  * dense: the property tests' mix unchanged, 15% legacy filters at every size. Every legacy
///    filter can invert with every minifilter (altitude-inversion lists each pair), so findings,
///    and any output that lists them, grow quadratically with the size.
enum class Mix { fleet, dense };

/// A scenario of `drivers` drivers. Deterministic for a given (drivers, mix, seed).
inline sim::Scenario make_scenario(std::size_t drivers, Mix mix = Mix::fleet,
                                   std::uint64_t seed = kSeed) {
  test::RandomScenarioOptions o;
  o.drivers = drivers;
  if (mix == Mix::fleet && drivers > 0) {
    o.legacy_share = std::min(o.legacy_share, 8.0 / static_cast<double>(drivers));
    o.both_share = std::min(o.both_share, 2.0 / static_cast<double>(drivers));
  }
  sim::Scenario sc = test::random_scenario(seed, o);
  sc.title = std::string(mix == Mix::fleet ? "fleet" : "dense") + " mix, " +
             std::to_string(drivers) + " drivers, seed " + std::to_string(seed);
  sc.volumes = {"C:", "D:"};
  std::mt19937_64 rng(seed ^ 0x9E3779B97F4A7C15ull);
  std::uniform_real_distribution<double> unit(0, 1);
  for (std::size_t i = 0; i < sc.drivers.size(); ++i) {
    sim::Driver &d = sc.drivers[i];
    if (d.is_minifilter() && unit(rng) < 0.6)
      d.depends_on.push_back("FltMgr");
    // A dependency on an earlier driver never closes a cycle. Only auto/demand services are
    // ordered by dependencies (Q5), and a few of them are enough to exercise that path.
    if (i > 0 && (d.start == sim::StartType::automatic || d.start == sim::StartType::demand) &&
        unit(rng) < 0.05) {
      const auto j = std::uniform_int_distribution<std::size_t>(0, i - 1)(rng);
      d.depends_on.push_back(sc.drivers[j].name);
    }
  }
  return sc;
}

struct Input {
  std::string yaml;       ///< write_scenario_yaml(make_scenario(n)): what a user's file holds
  sim::Scenario scenario; ///< parse_scenario_yaml(yaml): what the engine gets from the CLI
};

/// Cached input of a given size (generated on first use, outside any timing loop).
inline const Input &input(std::size_t drivers, Mix mix = Mix::fleet) {
  static std::map<std::pair<std::size_t, Mix>, Input> cache;
  auto it = cache.find({drivers, mix});
  if (it == cache.end()) {
    Input in;
    in.yaml = manifest::write_scenario_yaml(make_scenario(drivers, mix));
    manifest::ScenarioLoad load = manifest::parse_scenario_yaml(in.yaml, "bench.yaml");
    if (!load.scenario)
      throw std::runtime_error("generated scenario does not parse: " +
                               sim::format_diagnostic(load.diagnostics.front()));
    in.scenario = std::move(*load.scenario);
    it = cache.emplace(std::make_pair(drivers, mix), std::move(in)).first;
  }
  return it->second;
}

/// Benchmark sizes: 10 to 100,000 drivers.
inline constexpr std::size_t kSizes[] = {10, 100, 1000, 10000, 100000};

} // namespace fltsim::bench
