#pragma once
// Domain findings are data, never exceptions: a list of facts about the simulated stack.
// Every rule has a stable id, a severity and a one-line doc; `fltsim check` documents them in
// docs/rules.md and reports them with file locations.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::sim {

struct Finding {
  std::string code; ///< rule id, e.g. "altitude-inversion"
  Severity severity = Severity::error;
  std::string message;              ///< one sentence, names the drivers and the rule
  std::vector<std::string> drivers; ///< drivers involved, most relevant first
  /// Instance names, for instance rules (instance-outside-frame, altitude-collision):
  /// instances[k] is the instance of drivers[k] the finding is about. Empty otherwise.
  std::vector<std::string> instances = {};
};

/// One entry of the rule catalogue.
struct RuleInfo {
  std::string_view id;
  Severity severity;
  std::string_view summary; ///< one-line doc
};

/// The rules of the engine's findings (SimResult::findings). `fltsim check`'s catalogue
/// (check::rule_catalogue()) adds its own rules and the facts readers find.
[[nodiscard]] std::span<const RuleInfo> rule_catalogue();
/// nullptr for an unknown id.
[[nodiscard]] const RuleInfo *find_rule(std::string_view id);

namespace rule {
inline constexpr std::string_view altitude_inversion = "altitude-inversion";
inline constexpr std::string_view legacy_order_inversion = "legacy-order-inversion";
inline constexpr std::string_view altitude_collision = "altitude-collision";
inline constexpr std::string_view legacy_without_altitude = "legacy-without-altitude";
inline constexpr std::string_view unknown_group = "unknown-group";
inline constexpr std::string_view missing_default_instance = "missing-default-instance";
inline constexpr std::string_view instance_outside_frame = "instance-outside-frame";
inline constexpr std::string_view legacy_unload_refused = "legacy-unload-refused";
inline constexpr std::string_view missing_dependency = "missing-dependency";
inline constexpr std::string_view event_ignored = "event-ignored";
// Facts readers and the load-order resolver find (sim::Diagnostic::fact); check/src/rules/facts.cpp
// holds their catalogue entries.
inline constexpr std::string_view invalid_altitude = "invalid-altitude";
inline constexpr std::string_view dependency_cycle = "dependency-cycle";
inline constexpr std::string_view duplicate_driver = "duplicate-driver";
inline constexpr std::string_view kind_evidence = "kind-evidence";
inline constexpr std::string_view legacy_filter_blocked = "legacy-filter-blocked";
inline constexpr std::string_view dev_drive_not_allowed = "dev-drive-not-allowed";
} // namespace rule

} // namespace fltsim::sim
