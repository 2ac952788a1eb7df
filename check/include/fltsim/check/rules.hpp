#pragma once
// `fltsim check` rules (docs/rules.md): the findings of a merged manifest scenario, each pinned to
// the manifest line it comes from. Pure functions: no IO, no clock, same input -> same output.
//
// Where findings come from (docs/rules.md has the catalogue):
//  * the engine's findings on the simulated stack (altitude-inversion, altitude-collision,
//    missing-default-instance, instance-outside-frame, legacy-without-altitude, unknown-group,
//    ...),
//  * manifest-only rules evaluated here (altitude-out-of-group-range, legacy-not-boot-start,
//    altitude-allocated-elsewhere),
//  * tie-order exploration (order-dependent-outcome, sim::explore_tie_orders),
//  * input diagnostics that are really facts about a manifest (invalid-altitude from the readers,
//    duplicate-driver and dependency-cycle from the load-order resolver).
// Only findings that involve at least one manifest driver are reported: `--base` drivers describe
// the fleet, not the change under review.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/sim/allocated.hpp"
#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/findings.hpp"

namespace fltsim::check {

/// The ids of check's own rules (the engine's and the readers' facts are sim::rule ids). Each
/// rule's catalogue entry and logic are in check/src/rules/<id>.cpp; its doc is
/// docs/rules.md#<id>.
namespace rule {
inline constexpr std::string_view altitude_out_of_group_range = "altitude-out-of-group-range";
inline constexpr std::string_view legacy_not_boot_start = "legacy-not-boot-start";
inline constexpr std::string_view altitude_allocated_elsewhere = "altitude-allocated-elsewhere";
inline constexpr std::string_view order_dependent_outcome = "order-dependent-outcome";
} // namespace rule

/// Every rule `fltsim check` reports, in report order: the engine's rules
/// (sim::rule_catalogue()), then the facts readers find (invalid-altitude, duplicate-driver,
/// dependency-cycle) and check's own rules.
[[nodiscard]] std::span<const sim::RuleInfo> rule_catalogue();
/// nullptr for an unknown id.
[[nodiscard]] const sim::RuleInfo *find_rule(std::string_view id);

/// A finding with the manifest location it is reported at (file always set for manifest drivers;
/// line/column 0 when unknown).
struct LocatedFinding {
  sim::Finding finding;
  sim::SourceLocation location;
};

/// The scenario `check` simulates: base drivers plus manifest drivers, and which is which.
struct CheckedScenario {
  sim::Scenario scenario;
  std::vector<bool> from_manifest; ///< parallel to scenario.drivers
};

/// An inbox exception of a Windows baseline (docs/baselines.md, "Inbox exceptions"): a place where
/// Windows itself disagrees with the allocated-altitude list or the group ranges. `rule` is not
/// reported for the driver named `filter` while that driver has Windows' own value of `field`
/// ("altitude": an instance at `windows_value`; "group": that load order group; "name": always).
struct InboxException {
  std::string filter;
  std::string field;
  std::string windows_value;
  std::string rule;
};

/// The Windows baseline a check runs on (`--baseline`, docs/baselines.md). Its drivers are already
/// in the base scenario; this says which base drivers are Windows' own and what Windows is excused.
struct CheckBaseline {
  std::string id;      ///< "windows-11-24h2", or "windows-server-2025+role-dfs"
  bool partial = true; ///< the baseline's completeness (docs/baselines.md)
  std::vector<std::string> inbox_filters;
  std::vector<InboxException> exceptions;
};

/// Drops the findings an inbox exception covers (see InboxException); returns how many.
std::size_t apply_inbox_exceptions(std::vector<LocatedFinding> &findings,
                                   const CheckedScenario &checked,
                                   const std::vector<InboxException> &exceptions);

/// Names the baseline in findings that involve one of its inbox filters (an altitude-collision
/// with WdFilter says WdFilter is an inbox filter of windows-11-24h2).
void note_inbox_filters(std::vector<LocatedFinding> &findings, const CheckedScenario &checked,
                        const CheckBaseline &baseline);

/// The rule id a diagnostic stands for (sim::Diagnostic::fact), when a reader or resolver
/// diagnostic is a fact about a manifest rather than unreadable input: invalid-altitude,
/// duplicate-driver, dependency-cycle. nullopt = a real input error.
[[nodiscard]] std::optional<std::string_view> rule_for_diagnostic(const sim::Diagnostic &d);

/// True when an allocated-list driver entry names this service: case-insensitive, ".sys"
/// optional, and a per-instance suffix in the list ("minispy.sys - Top") ignored.
[[nodiscard]] bool allocated_owner_matches(std::string_view listed_driver,
                                           std::string_view service);

/// The rules that look at one manifest driver alone: altitude-out-of-group-range,
/// legacy-not-boot-start, altitude-allocated-elsewhere.
[[nodiscard]] std::vector<LocatedFinding> driver_rules(const sim::Driver &d,
                                                       const sim::AllocatedTable &allocated);

/// Every finding for the manifest drivers of `checked`: engine findings of `result` (with
/// locations), driver_rules() for each manifest driver, `ties` (when given and order-dependent),
/// and `diagnostics` whose rule_for_diagnostic() is set (reader diagnostics and
/// result.input_errors alike). Sorted by file, line, column, rule, message; no duplicates.
[[nodiscard]] std::vector<LocatedFinding>
run_check_rules(const CheckedScenario &checked, const sim::SimResult &result,
                const sim::TieExploration *ties, const std::vector<sim::Diagnostic> &diagnostics,
                const sim::AllocatedTable &allocated);

/// Severity order: note < warning < error.
[[nodiscard]] bool at_least(sim::Severity s, sim::Severity threshold);

} // namespace fltsim::check
