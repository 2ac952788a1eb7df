// Merging manifests onto the base scenario: see fltsim/check/merge.hpp.
#include "fltsim/check/merge.hpp"

#include <functional>
#include <set>
#include <string>
#include <unordered_map>

#include "fltsim/sim/groups.hpp"
#include "fltsim/sim/load_order.hpp"

namespace fltsim::check {

CheckedScenario merge_scenario(const sim::Scenario *base, std::vector<sim::Driver> manifest) {
  CheckedScenario c;
  if (base)
    c.scenario = *base;
  // A manifest driver is a new version of the base's driver of its name.
  const std::vector<std::size_t> manifest_index =
      sim::put_drivers(c.scenario.drivers, std::move(manifest), sim::SameName::replace_once);
  c.from_manifest.assign(c.scenario.drivers.size(), false);
  for (std::size_t i : manifest_index)
    c.from_manifest[i] = true;

  // Demand-start manifest drivers that boot does not start (L5): load them after boot, a
  // driver's demand dependencies first so no load event finds its driver already running.
  const sim::LoadPlan plan = sim::resolve_load_order(c.scenario);
  std::set<std::string> started; // lower-case names
  for (int i : plan.order)
    started.insert(sim::ascii_lower(c.scenario.drivers[static_cast<std::size_t>(i)].name));
  for (const sim::Event &e : c.scenario.events)
    if (e.kind == sim::Event::Kind::load)
      started.insert(sim::ascii_lower(e.driver));
  std::unordered_map<std::string, std::size_t> first_by_name;
  for (std::size_t i = 0; i < c.scenario.drivers.size(); ++i)
    first_by_name.emplace(sim::ascii_lower(c.scenario.drivers[i].name), i);
  std::set<std::string> visiting;
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    const sim::Driver &d = c.scenario.drivers[i];
    const std::string key = sim::ascii_lower(d.name);
    if (!c.from_manifest[i] || d.start != sim::StartType::demand ||
        sim::is_filter_manager(d.name) || started.contains(key) || !visiting.insert(key).second)
      return;
    for (const std::string &dep : d.depends_on)
      if (auto it = first_by_name.find(sim::ascii_lower(dep)); it != first_by_name.end())
        visit(it->second);
    if (started.insert(key).second)
      c.scenario.events.push_back({sim::Event::Kind::load, d.name, d.location});
  };
  for (std::size_t i : manifest_index)
    visit(i);
  return c;
}

} // namespace fltsim::check
