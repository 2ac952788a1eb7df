#pragma once
// The fast path of the JSONL machine reader (fleet_input.cpp): a scenario written as JSON, read
// in one pass without yaml-cpp (which costs about 0.8 ms per 25-driver machine) and without a
// tree of values, into a Scenario whose storage is reused from one machine to the next.
// It accepts only what it can read exactly as parse_scenario_yaml() reads the same text -- JSON
// is YAML, and every value here means what the YAML reader makes of it -- and gives up (false)
// on anything else: an unknown or duplicate key, a wrong type, a value the YAML reader would
// reject, `include:`, `expect:`, \u escapes. The caller then runs the YAML reader, which gives
// the located diagnostics. tests/fleet/readers_test.cpp checks both readers agree.
#include <string>
#include <string_view>

#include "fltsim/fleet/fleet_input.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::fleet::detail {

/// `text` is the scenario object's JSON; `column0` the 0-based offset of its '{' in the line
/// (locations are source:line:column of each driver's and instance's '{'). On false `into` holds
/// a partial scenario.
[[nodiscard]] bool read_scenario_json(std::string_view text, const std::string &source, int line,
                                      int column0, sim::Scenario &into);
/// The same for the object at the start of `text`, which may go on after it: `end` is the offset
/// just past the object's '}'.
[[nodiscard]] bool read_scenario_json_prefix(std::string_view text, const std::string &source,
                                             int line, int column0, sim::Scenario &into,
                                             std::size_t &end);

/// A JSONL machine record read in one pass (fleet_input.cpp): the envelope as
/// split_machine_json_line() gives it and the scenario read into `into` as read_scenario_json()
/// reads it, when the record is well formed and its scenario is one the fast reader takes. On
/// false nothing is decided: the caller takes the two-step path, which reports what is wrong.
[[nodiscard]] bool read_machine_json_line(std::string_view line, const std::string &source,
                                          int line_no, MachineEnvelope &env, sim::Scenario &into);

} // namespace fltsim::fleet::detail
