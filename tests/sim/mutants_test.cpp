// Tests that kill mutants scripts/mutate.py found alive (docs/reliability.md, "Mutation
// score"): each pins a boundary or a condition of the engine that no other test decided.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/findings.hpp"

using namespace fltsim::sim;

namespace {

Driver mini_at(std::string name, std::string group, const char *altitude) {
  Driver d;
  d.name = std::move(name);
  d.group = std::move(group);
  d.start = StartType::boot;
  d.kind = DriverKind::minifilter;
  d.instances.push_back({d.name + " Instance", Altitude::from_literal(altitude), 0, {}, {}});
  d.default_instance = d.name + " Instance";
  return d;
}

std::vector<std::string> filters_on(const SimResult &r, const std::string &volume) {
  std::vector<std::string> out;
  for (const VolumeStack &v : r.volumes)
    if (v.volume == volume)
      for (const auto &f : v.filters)
        out.push_back(f.name);
  return out;
}

} // namespace

TEST_SUITE("mutants: engine") {
  TEST_CASE("V2: the Dev Drive antivirus range is 320000 to 329999, both ends included") {
    // docs/model.md#dev-drive: FSFilter Anti-Virus, 320000-329999.
    Scenario sc;
    sc.volumes = {"D:"};
    sc.volume_specs["D:"].volume_class = VolumeClass::dev_drive;
    sc.drivers = {mini_at("Low", "FSFilter Anti-Virus", "320000"),
                  mini_at("High", "FSFilter Anti-Virus", "329999"),
                  mini_at("Below", "FSFilter Replication", "319999.9"),
                  mini_at("Above", "FSFilter Virtualization", "330000")};
    const SimResult r = simulate(sc);
    const std::vector<std::string> on = filters_on(r, "D:");
    CHECK(std::find(on.begin(), on.end(), "Low") != on.end());
    CHECK(std::find(on.begin(), on.end(), "High") != on.end());
    CHECK(std::find(on.begin(), on.end(), "Below") == on.end());
    CHECK(std::find(on.begin(), on.end(), "Above") == on.end());
  }
}
