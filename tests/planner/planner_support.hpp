#pragma once
// Helpers for the planner tests: scenarios from YAML text, and an oracle that checks a scenario on
// every permitted tie order with the engine alone (independent of the planner's own verifier).
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/groups.hpp"
#include "fltsim/sim/load_order.hpp"

namespace fltsim::test {

inline sim::Scenario scenario_from_yaml(const std::string &yaml) {
  manifest::ScenarioLoad l = manifest::parse_scenario_yaml(yaml, "test.yaml");
  for (const auto &d : l.diagnostics)
    INFO(sim::format_diagnostic(d));
  REQUIRE(l.scenario.has_value());
  return *l.scenario;
}

inline std::string finding_id(const sim::Finding &f) {
  std::string k = f.code;
  for (const auto &d : f.drivers)
    k += "|" + sim::ascii_lower(d);
  return k;
}

/// Calls fn(result) for every permitted tie order of `sc` (exhaustive; tests keep ties small).
template <class Fn> std::size_t for_every_order(const sim::Scenario &sc, Fn &&fn) {
  const sim::LoadPlan lp = sim::resolve_load_order(sc);
  std::vector<std::vector<int>> perm;
  for (const auto &t : lp.ties) {
    std::vector<int> p(t.drivers.size());
    for (std::size_t i = 0; i < p.size(); ++i)
      p[i] = static_cast<int>(i);
    perm.push_back(p);
  }
  std::size_t n = 0;
  sim::SimOptions so;
  so.record_trace = false;
  for (;;) {
    so.tie_permutation = perm;
    fn(sim::simulate(sc, so));
    ++n;
    std::size_t c = 0;
    while (c < perm.size() && !std::next_permutation(perm[c].begin(), perm[c].end()))
      ++c;
    if (c == perm.size())
      return n;
  }
}

/// Number of permitted tie orders (saturating at SIZE_MAX).
inline std::size_t total_orders(const sim::Scenario &sc) {
  std::size_t total = 1;
  for (const auto &t : sim::resolve_load_order(sc).ties)
    for (std::size_t k = 2; k <= t.drivers.size(); ++k)
      total = total > SIZE_MAX / k ? SIZE_MAX : total * k;
  return total;
}

/// Union of the input's non-inversion findings over every permitted order.
inline std::set<std::string> baseline_of(const sim::Scenario &sc) {
  std::set<std::string> keys;
  for_every_order(sc, [&](const sim::SimResult &r) {
    for (const auto &f : r.findings)
      if (f.code != sim::rule::altitude_inversion)
        keys.insert(finding_id(f));
  });
  return keys;
}

/// True if `sc` has no altitude-inversion and no finding outside `baseline` in any order.
inline bool clean_in_every_order(const sim::Scenario &sc, const std::set<std::string> &baseline) {
  bool clean = true;
  for_every_order(sc, [&](const sim::SimResult &r) {
    if (!r.input_errors.empty())
      clean = false;
    for (const auto &f : r.findings)
      if (f.code == sim::rule::altitude_inversion || !baseline.contains(finding_id(f)))
        clean = false;
  });
  return clean;
}

/// True if some permitted order of `sc` has an altitude-inversion.
inline bool inverted_in_some_order(const sim::Scenario &sc) {
  bool inverted = false;
  for_every_order(sc, [&](const sim::SimResult &r) {
    for (const auto &f : r.findings)
      if (f.code == sim::rule::altitude_inversion)
        inverted = true;
  });
  return inverted;
}

/// "Frame N" or the legacy name, bottom to top.
inline std::vector<std::string> stack_names(const sim::SimResult &r) {
  std::vector<std::string> out;
  for (const auto &e : r.stack)
    out.push_back(e.kind == sim::StackEntry::Kind::frame ? "Frame " + std::to_string(e.frame)
                                                         : e.name);
  return out;
}

/// Frame id of minifilter `name` at the end of `r`, or -1.
inline int frame_of(const sim::Scenario &sc, const sim::SimResult &r, const std::string &name) {
  const int i = sc.find_driver(name);
  return i < 0 ? -1 : r.drivers[static_cast<std::size_t>(i)].frame;
}

/// Position of a group in the default ServiceGroupOrder.
inline std::size_t group_position(const std::string &group) {
  const auto list = sim::default_service_group_order();
  for (std::size_t i = 0; i < list.size(); ++i)
    if (sim::iequals(list[i], group))
      return i;
  return SIZE_MAX;
}

} // namespace fltsim::test
