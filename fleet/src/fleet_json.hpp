#pragma once
// The fast path of the JSONL machine reader (fleet_input.cpp): a scenario written as JSON, read
// without yaml-cpp (which costs about 0.8 ms per 25-driver machine; this path about 20 us).
// It accepts only what it can read exactly as parse_scenario_yaml() reads the same text -- JSON
// is YAML, and every value here means what the YAML reader makes of it -- and gives up (nullopt)
// on anything else: an unknown or duplicate key, a wrong type, a value the YAML reader would
// reject, `include:`, `expect:`, \u escapes. The caller then runs the YAML reader, which gives
// the located diagnostics. tests/fleet/jsonl_test.cpp checks both readers agree.
#include <optional>
#include <string>
#include <string_view>

#include "fltsim/sim/scenario.hpp"

namespace fltsim::fleet::detail {

/// `text` is the scenario object's JSON; `column0` the 0-based offset of its '{' in the line
/// (locations are source:line:column of each driver's and instance's '{').
[[nodiscard]] std::optional<sim::Scenario>
read_scenario_json_fast(std::string_view text, const std::string &source, int line, int column0);

} // namespace fltsim::fleet::detail
