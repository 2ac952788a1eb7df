#pragma once
// Internal to fltsim_manifest: the scenario reader's `drivers:` entry rules (scenario_yaml.cpp),
// for the other YAML documents that hold driver entries (baselines.cpp).
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::manifest::detail {

/// Reads one driver mapping exactly as a scenario's `drivers:` entry; problems are appended to
/// `diags` (file:line:col in `source`) and the driver is then not returned.
[[nodiscard]] std::optional<sim::Driver> read_driver_node(const YAML::Node &n,
                                                          const std::string &source,
                                                          std::vector<sim::Diagnostic> &diags);

} // namespace fltsim::manifest::detail
