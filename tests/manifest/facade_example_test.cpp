// The worked example of manifest/include/fltsim/manifest/manifest.hpp, compiled and run.
#include <doctest/doctest.h>

#include "fltsim/manifest/manifest.hpp"

namespace manifest = fltsim::manifest;

TEST_CASE("manifest facade example: a scenario reads, writes and reads back equal") {
  manifest::ScenarioLoad load = manifest::parse_scenario_yaml(
      "scenario: two filters\n"
      "drivers:\n"
      "  - {name: AVLegacy, kind: legacy, group: FSFilter Anti-Virus, start: boot}\n"
      "  - {name: AVMini, kind: minifilter, start: boot, altitude: 328000}\n",
      "example.yaml");
  REQUIRE(load.diagnostics.empty());
  REQUIRE(load.scenario);
  REQUIRE(load.scenario->drivers.size() == 2);
  const std::string text = manifest::write_scenario_yaml(*load.scenario);
  manifest::ScenarioLoad again = manifest::parse_scenario_yaml(text, "again.yaml");
  REQUIRE(again.scenario);
  REQUIRE(again.scenario->drivers.size() == 2);
  CHECK(again.scenario->drivers[0].name == "AVLegacy");
  CHECK(again.scenario->drivers[0].kind == fltsim::sim::DriverKind::legacy);
  REQUIRE(again.scenario->drivers[1].instances.size() == 1);
  CHECK(again.scenario->drivers[1].instances[0].altitude.text() == "328000");
}
