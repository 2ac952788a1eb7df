#pragma once
// The drivers table: one row per driver, and in-place edits of kind, group, start, tag and
// altitude that are validated before they reach the scenario.
#include <optional>
#include <string>
#include <vector>

#include "fltsim/sim/result.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::viewer {

enum class DriverField { kind, group, start, tag, altitude };
[[nodiscard]] const char *to_string(DriverField f);

struct DriverRow {
  int driver = -1;
  std::string name;
  std::string kind;              ///< "minifilter", "legacy", "both"
  std::string group;             ///< "" = none
  std::string start;             ///< "boot", "system", "auto", "demand", "disabled"
  std::string tag;               ///< "" = none
  std::string altitude;          ///< minifilter: default-instance altitude; legacy: from its group
  bool altitude_editable = true; ///< false for pure legacy filters (altitude comes from the group)
  std::string frame;             ///< "0", "<Legacy>", "" when not on the stack (yet)
  bool loaded = false;
  bool inverted = false; ///< part of an inversion finding
};

/// Rows in scenario order. `result` is the stack shown (possibly as of an earlier step).
[[nodiscard]] std::vector<DriverRow> build_driver_rows(const sim::Scenario &scenario,
                                                       const sim::SimResult &result);

/// Applies an edit to driver `driver` of `scenario`. Returns an error message (and leaves the
/// scenario unchanged) when `value` is not valid for the field:
///  * kind: minifilter | legacy | both. Switching to legacy drops the instances (a legacy filter
///    has none, docs/model.md#legacy-altitudes). Switching a driver that has no instances to a
///    minifilter kind gives it one instance, "<name> Instance", at the low end of its group's
///    documented range (docs/model.md#groups); without a documented group the edit is refused (set
///    a documented group first).
///  * group: any text; empty = no group.
///  * start: boot/system/auto/demand/disabled or 0-4.
///  * tag: empty or a decimal number 0..4294967295.
///  * altitude: A1 syntax; sets the default instance's altitude (creating "<name> Instance" when
///    the driver has none). Refused for pure legacy filters.
[[nodiscard]] std::optional<std::string>
apply_driver_edit(sim::Scenario &scenario, int driver, DriverField field, const std::string &value);

} // namespace fltsim::viewer
