// The door (inputs/inputs.hpp): a file reads the same whether it is named on the command line or
// pulled in by a scenario's `include:`, notes included.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "fltsim/inputs/inputs.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
namespace inputs = fltsim::inputs;

TEST_CASE("an included INF's notes reach the scenario load as they do when it is read alone") {
  // A file-system INF: its service is left out (docs/model.md#kind-evidence, K2) with a note.
  const fs::path inf =
      fs::path(FLTSIM_SOURCE_ROOT) / "tests/corpus/inf/quirks/openzfs-file-system.inf";
  const fltsim::manifest::IncludeResult alone = inputs::load_manifest_file(inf);
  REQUIRE_FALSE(alone.notes.empty());

  const fs::path dir = fs::temp_directory_path() / "fltsim-door-test";
  fs::create_directories(dir);
  const fs::path scenario = dir / "with-include.yaml";
  {
    std::ofstream out(scenario);
    // Absolute with its drive letter on Windows: "/work/..." would be relative to the temp
    // folder's drive there.
    out << "scenario: includes a file-system INF\ninclude:\n  - "
        << fs::absolute(inf).generic_string() << "\n";
  }
  const fltsim::manifest::ScenarioLoad load = inputs::load_scenario_file(scenario);
  REQUIRE(load.scenario);
  REQUIRE(load.notes.size() == alone.notes.size());
  for (std::size_t i = 0; i < alone.notes.size(); ++i) {
    CHECK(load.notes[i].code == alone.notes[i].code);
    CHECK(load.notes[i].message == alone.notes[i].message);
    CHECK(load.notes[i].severity == fltsim::sim::Severity::note);
  }
  fs::remove_all(dir);
}

TEST_CASE("baseline: in scenario text is resolved through the door, and refused without it") {
  const char *text = "scenario: on a baseline\nbaseline: windows-11-24h2\ndrivers: []\n";
  const fltsim::manifest::ScenarioLoad with = inputs::parse_scenario_text(text, "t.yaml");
  REQUIRE(with.scenario);
  CHECK_FALSE(with.scenario->drivers.empty());
  CHECK(with.baselines.size() == 1);
  const fltsim::manifest::ScenarioLoad without =
      fltsim::manifest::parse_scenario_yaml(text, "t.yaml");
  CHECK_FALSE(without.scenario);
  REQUIRE_FALSE(without.diagnostics.empty());
  CHECK(without.diagnostics[0].code == "unknown-baseline");
}
