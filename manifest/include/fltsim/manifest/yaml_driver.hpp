#pragma once
// Internal to fltsim_manifest: the scenario reader's `drivers:` entry rules (scenario_yaml.cpp),
// and its node helpers, for the other YAML documents fltsim reads (baselines.cpp).
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
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

/// Where `n` stands in `source` (1-based line and column; 0:0 for a node without a mark).
[[nodiscard]] sim::SourceLocation yaml_location(const YAML::Node &n, const std::string &source);

/// How a YAML reader reports a problem at a node: `error(node, code, message)`.
using YamlError = std::function<void(const YAML::Node &, std::string, std::string)>;

/// Checks that `map` is a mapping (else wrong-type, and false) whose keys are plain names
/// (wrong-type), each in `allowed` (unknown-key, listing them) and given once (duplicate-key);
/// `what` names the mapping in the messages. `visit` sees every key node first (the scenario
/// reader's alias budget).
bool check_map(const YAML::Node &map, std::initializer_list<std::string_view> allowed,
               const std::string &what, const YamlError &error,
               const std::function<void(const YAML::Node &)> &visit = {});

/// The instance a minifilter entry without `instances:` gets: one at `altitude`, named like the
/// WDK samples' instances ("<name> Instance") and its default unless `default_instance` is set.
void add_default_instance(sim::Driver &d, const sim::Altitude &altitude,
                          const sim::SourceLocation &at);

/// The default instance of an entry with instances and no `default_instance`: the instance at
/// `altitude`, else the first one.
void pick_default_instance(sim::Driver &d, const std::optional<sim::Altitude> &altitude);

} // namespace fltsim::manifest::detail
