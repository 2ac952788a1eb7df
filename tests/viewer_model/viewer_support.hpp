#pragma once
// Helpers for the viewer-model tests: load bundled scenarios.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/sim/scenario.hpp"
#include "support.hpp"

namespace fltsim::test {

inline sim::Scenario load_bundled(const std::string &relative) {
  const auto path = source_root() / "scenarios" / relative;
  manifest::ScenarioLoad load = inputs::load_scenario_file(path);
  std::string why = path.string();
  for (const auto &d : load.diagnostics)
    why += "\n" + sim::format_diagnostic(d);
  REQUIRE_MESSAGE(load.scenario.has_value(), why);
  return *load.scenario;
}

/// Every bundled scenario that loads (some bundled files are meant to be rejected).
inline std::vector<std::pair<std::string, sim::Scenario>> all_bundled() {
  std::vector<std::filesystem::path> paths;
  for (const auto &e : std::filesystem::recursive_directory_iterator(source_root() / "scenarios"))
    if (e.is_regular_file() && inputs::manifest_type(e.path()) == inputs::ManifestType::yaml)
      paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  std::vector<std::pair<std::string, sim::Scenario>> out;
  for (const auto &p : paths) {
    manifest::ScenarioLoad load = inputs::load_scenario_file(p);
    if (load.scenario)
      out.emplace_back(p.lexically_relative(source_root()).string(), std::move(*load.scenario));
  }
  return out;
}

} // namespace fltsim::test
