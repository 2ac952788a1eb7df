#pragma once
// fltsim planner facade: computes the fewest dummy minifilters (and, when none can work, other
// verified edits) that put every filter of a scenario at its altitude (docs/planner.md).
//
// The problem (docs/model.md, R2-R6): fltmgr can only open a frame on top of the stack, at the
// moment a minifilter registers above every frame. Once two legacy filters are attached with no
// frame between them, a minifilter whose altitude lies between theirs lands below both of them
// (an `altitude-inversion`). The blog's fix is a do-nothing boot-start minifilter that loads
// between the two legacy filters with an altitude above the lower one: R5 raises the top frame to
// the lower legacy's altitude, the dummy still does not fit, so R4 opens a new frame above it.
//
// Worked example (scenarios/blog_example_a.yaml, rules §8 example A -> example B):
//
//   sim::Scenario sc = ...;                  // FileInfo, EncryptionLegacy, AVLegacy,
//                                            // AVMiniFilter 328000, luafv (auto)
//   planner::Options opt;                    // defaults: avoid Microsoft's allocated altitudes,
//                                            // verify every permitted tie order (<= 5040)
//   planner::PlanResult p = planner::plan(sc, opt);
//   // p.status == Status::fixed, p.verification.verified, p.dummies.size() == 1:
//   //   FrameDummy1: FSFilter Compression, boot start, altitude 160000, no tag.
//   //   It loads after EncryptionLegacy and before AVLegacy (Compression lies strictly between
//   //   Encryption and Anti-Virus in ServiceGroupOrder, so no tie order changes that), opens
//   //   Frame 1 [149998.99, 160000] above EncryptionLegacy, and AVMiniFilter moves from Frame 0
//   //   into Frame 1: Frame 0 < EncryptionLegacy < Frame 1 < AVLegacy (the blog's fixed stack).
//   sim::Scenario fixed = p.fixed_scenario;  // the input plus the dummy, ready to write out
//
// Guarantees:
//  * Every plan reported as `fixed` (and every alternative) was re-simulated on every permitted
//    tie order (or, when there are more than Options::max_exhaustive_orders, on a seeded sample
//    that Verification states) with no altitude-inversion and no finding the input did not have.
//    An unverified plan is never reported as a fix.
//  * The number of dummies is minimal among plans whose dummies keep a fixed place in the load
//    order (which the planner requires): each dummy opens the frame of a gap between two legacy
//    filters that no existing minifilter opens in every permitted order, and one dummy loads in
//    one gap only (docs/planner.md, "Why the count is minimal").
//  * The planner is pure and deterministic (no IO, clock or globals); it only calls the engine.
//
// Limits: Options bounds the number of simulations and candidate plans and takes a cancellation
// callback. Hitting a limit returns Status::budget_exhausted (or cancelled) with what was
// established so far, never a hang and never an unverified fix.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fltsim/sim/altitude.hpp"
#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/findings.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::planner {

/// Outcome of plan(). The JSON names are the to_string() values.
enum class Status : std::uint8_t {
  ordered,          ///< no altitude-inversion in any permitted load order: nothing to do
  fixed,            ///< dummies found and verified (see PlanResult::dummies)
  infeasible,       ///< no dummy plan exists; see explanation and alternatives
  budget_exhausted, ///< a limit in Options stopped the search; nothing unverified is reported
  cancelled,        ///< Options::should_stop returned true
};
[[nodiscard]] const char *to_string(Status s); ///< "ordered", "fixed", "infeasible", ...

/// How a dummy gets its place in the load order.
enum class Placement : std::uint8_t {
  between_groups, ///< its (start type, group) sorts strictly between the two legacy filters'
  same_group,     ///< shares a group with a legacy filter; a Tag/GroupOrderList change orders it
};
[[nodiscard]] const char *to_string(Placement p); ///< "between-groups", "same-group"

/// A GroupOrderList\<group> value to write (L3): the tags in load order.
struct GroupOrderChange {
  std::string group;
  std::vector<std::uint32_t> tags;
  bool created = false; ///< the scenario had no GroupOrderList entry for the group
};

/// One proposed dummy minifilter: a do-nothing minifilter (the WDK nullFilter sample) whose only
/// job is to register at the right moment and so make fltmgr open a frame.
struct DummyFilter {
  std::string name;
  std::string group; ///< LoadOrderGroup
  sim::StartType start = sim::StartType::boot;
  sim::Altitude altitude = sim::Altitude::from_literal("0"); ///< default-instance altitude
  std::optional<std::uint32_t> tag;                          ///< set for same_group placements
  std::string instance_name;                                 ///< "<name> Instance"
  std::uint32_t instance_flags = 0x1; ///< 0x1: never attaches automatically; it only registers
  Placement placement = Placement::between_groups;
  std::optional<GroupOrderChange> group_order; ///< same_group only: the list that orders it
  bool own_altitude = false; ///< derived from an Options::own_altitudes entry (325000.1, ...)
  std::string after_legacy;  ///< the legacy filter it must load after (the gap's lower side)
  std::string before_legacy; ///< the legacy filter it must load before; empty = none above
  std::string reason;        ///< one sentence: why this group, start type and altitude
};

/// What an Edit changes.
enum class EditField : std::uint8_t {
  start,            ///< the driver's Start value
  group,            ///< its LoadOrderGroup
  tag,              ///< its Tag
  kind,             ///< minifilter / legacy / both
  altitude,         ///< its default instance's altitude
  load_events,      ///< value "remove": drop the driver's `load` events, it now starts at boot
  group_order_list, ///< `group` names the list and value is "t1,t2,..."
};
/// The field's name as written in plan output ("start", "group_order_list", ...).
[[nodiscard]] const char *to_string(EditField f);

/// One change to an existing driver (or to GroupOrderList) in an alternative fix.
struct Edit {
  std::string driver; ///< empty for EditField::group_order_list
  EditField field = EditField::start;
  std::string value;
  std::string group; ///< for group_order_list only
};

/// How a plan was checked against the load orders the rules allow (ties inside a group, §9 Q4).
struct Verification {
  bool verified = false;
  std::uint64_t orders_total = 1;     ///< permitted tie orders (saturating product)
  std::uint64_t orders_simulated = 0; ///< how many of them were simulated
  bool exhaustive = false;            ///< every permitted order was simulated
  std::uint64_t sample_seed = 0;      ///< seed of the sample when not exhaustive
  bool order_dependent = false;       ///< the stacks differ between orders (all still clean)
  /// When not verified: the findings that failed it (an altitude-inversion or a new finding) in
  /// the first failing order.
  std::vector<sim::Finding> failures;
  bool incomplete = false; ///< stopped by a limit or cancellation before a verdict
};

/// A verified fix that does not (only) add dummies: edits to existing drivers, plus the dummies
/// that the edited scenario still needs.
struct Alternative {
  std::string description;
  std::vector<Edit> edits;
  std::vector<DummyFilter> dummies;
  Verification verification;
};

/// A minifilter whose place relative to the legacy filters changed between before and after.
struct FilterMove {
  std::string filter;
  sim::Altitude altitude = sim::Altitude::from_literal("0");
  int from_frame = -1;
  int to_frame = -1;
  std::vector<std::string> legacies_below_before; ///< altitude-bearing legacies below it
  std::vector<std::string> legacies_below_after;
};

/// What one dummy does in the fixed stack (manifest load order).
struct DummyEffect {
  std::string dummy;
  int frame = -1;                ///< the frame it registered in
  bool opened_frame = false;     ///< it created that frame (R4) rather than joining or growing one
  std::string below;             ///< stack entry right below its frame ("EncryptionLegacy")
  std::string above;             ///< stack entry right above its frame; empty = top of the stack
  std::vector<FilterMove> moved; ///< minifilters that now sit in its frame and moved there
};

/// Progress report for a viewer (called from the planner's thread).
struct Progress {
  std::string stage;             ///< "check input", "verify plan", "search", "alternatives"
  std::uint64_t simulations = 0; ///< simulations run so far
  std::uint64_t candidate_plans = 0;
};

struct Options {
  /// Company-owned altitudes (Microsoft-assigned). When a gap can use the group of one of them,
  /// the dummy gets a fractional altitude derived from it (325000.1, 325000.2, ...).
  std::vector<sim::Altitude> own_altitudes;
  /// Avoid every altitude in Microsoft's allocated list (data/allocated-altitudes.csv).
  bool avoid_allocated = true;
  /// Simulate every permitted tie order when there are at most this many ...
  std::uint64_t max_exhaustive_orders = 5040;
  /// ... otherwise this many: manifest order plus a seeded random sample.
  std::uint64_t sample_orders = 256;
  std::uint64_t sample_seed = 1;
  /// Hard limits: the planner stops with Status::budget_exhausted when one is reached.
  std::uint64_t max_simulations = 100000;
  std::uint64_t max_candidate_plans = 2000; ///< dummy sets tried by the fallback search
  std::size_t max_dummies = 32;             ///< larger plans are not searched
  /// Try the gap analysis's plan first (docs/planner.md, "Algorithm"). false: go straight to
  /// the fallback search over sets of candidate gaps (the tests cross-check the search so).
  bool gap_analysis = true;
  /// Compute alternative edits when no dummy plan exists.
  bool alternatives = true;
  std::size_t max_alternatives = 6;
  /// Dummy names: prefix + 1, 2, ... (skipping names the scenario already uses).
  std::string dummy_prefix = "FrameDummy";
  /// Return true to stop; checked before every simulation. May be empty.
  std::function<bool()> should_stop;
  /// Called after each stage and every 64 simulations. May be empty.
  std::function<void(const Progress &)> on_progress;
};

struct PlanResult {
  Status status = Status::ordered;
  std::vector<DummyFilter> dummies;      ///< empty unless status == fixed
  std::vector<Alternative> alternatives; ///< verified alternatives (infeasible only)
  Verification verification;             ///< of the reported plan (or of the input if ordered)
  /// One paragraph: why no dummy plan exists (infeasible), or what stopped the search.
  std::string explanation;
  std::vector<std::string> notes; ///< extra remarks (same-group placements, own altitude)
  /// Dummies any plan needs (the gaps no existing minifilter opens in every permitted order).
  std::size_t lower_bound = 0;
  std::vector<sim::Finding> before_findings; ///< input, manifest order
  std::vector<sim::Finding> after_findings;  ///< fixed scenario, manifest order
  sim::Scenario fixed_scenario;     ///< the input plus the dummies and GroupOrderList changes
  sim::SimResult before;            ///< input, manifest order, with trace
  sim::SimResult after;             ///< fixed scenario, manifest order, with trace
  std::vector<DummyEffect> effects; ///< parallel to dummies
  std::uint64_t simulations = 0;
  std::uint64_t candidate_plans = 0;
};

/// Plans the fix. The scenario must be free of input errors (simulate(sc).input_errors empty);
/// if it is not, the result is infeasible with the errors in `explanation`.
[[nodiscard]] PlanResult plan(const sim::Scenario &scenario, const Options &options = {});

/// The scenario with the dummies appended (manifest order = installed last) and their
/// GroupOrderList changes applied.
[[nodiscard]] sim::Scenario apply_dummies(const sim::Scenario &scenario,
                                          const std::vector<DummyFilter> &dummies);

/// The scenario with the edits applied. Returns nullopt and sets *error (code "invalid-edit") for
/// an edit that names no driver or carries a value the field cannot take.
[[nodiscard]] std::optional<sim::Scenario> apply_edits(const sim::Scenario &scenario,
                                                       const std::vector<Edit> &edits,
                                                       sim::Diagnostic *error = nullptr);

/// Re-simulates `candidate` on every permitted tie order (or a seeded sample, per `options`) and
/// checks it has no altitude-inversion and no finding (code and drivers) outside `baseline`.
[[nodiscard]] Verification verify(const sim::Scenario &candidate,
                                  const std::vector<sim::Finding> &baseline,
                                  const Options &options = {});

} // namespace fltsim::planner
