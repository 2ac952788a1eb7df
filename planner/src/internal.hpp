#pragma once
// Planner internals shared by the planner's .cpp files. Not installed, not included by users.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fltsim/planner/planner.hpp"
#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/load_order.hpp"

namespace fltsim::planner::detail {

/// The driver at index `i` of `sc` (the planner's indices are ints, as the engine's plan).
inline const sim::Driver &drv(const sim::Scenario &sc, int i) {
  return sc.drivers[static_cast<std::size_t>(i)];
}

/// Budget, cancellation and counters of one plan() call (shared by nested plans).
class Context {
public:
  explicit Context(const Options &o) : opt(o) {}
  const Options &opt;
  std::uint64_t simulations = 0;
  std::uint64_t candidate_plans = 0;
  bool budget_hit = false;
  bool cancelled = false;
  std::string stage;

  [[nodiscard]] bool stopped() const { return budget_hit || cancelled; }
  /// Checks the budget and the cancellation callback; false = do not simulate.
  [[nodiscard]] bool may_simulate();
  /// Counts a candidate plan; false when Options::max_candidate_plans is reached.
  [[nodiscard]] bool take_candidate();
  /// A counted simulation. Callers check may_simulate() first.
  [[nodiscard]] sim::SimResult simulate(const sim::Scenario &sc, const sim::SimOptions &so);
  /// The same into `ws` (verification's many orders reuse one engine's buffers).
  [[nodiscard]] const sim::SimResult &simulate(const sim::Scenario &sc, const sim::SimOptions &so,
                                               sim::Workspace &ws);
  void set_stage(std::string s);
  void report();
};

/// Identity of a finding for "no new findings": rule id plus the drivers it names.
[[nodiscard]] std::string finding_key(const sim::Finding &f);
using FindingKeys = std::set<std::string>;

/// verify() with a shared context.
[[nodiscard]] Verification verify_in(Context &ctx, const sim::Scenario &candidate,
                                     const FindingKeys &baseline);

/// The input check: every permitted order of the input, the union of their non-inversion
/// findings (the baseline for "no new findings") and whether any order has an inversion.
struct InputCheck {
  Verification verification; ///< verified = no altitude-inversion in any simulated order
  FindingKeys baseline;
};
[[nodiscard]] InputCheck check_input(Context &ctx, const sim::Scenario &sc);

// ---- gap analysis (analysis.cpp) ----------------------------------------------------------

/// An altitude-bearing legacy registration, in base load order.
struct LegacyReg {
  int driver = -1;
  sim::Altitude altitude = sim::Altitude::from_literal("0");
  bool at_boot = true; ///< loaded by the boot/system/auto phases (not by an event)
};

/// A minifilter registration that is in a frame at the end of the base replay.
struct MiniReg {
  int driver = -1;
  sim::Altitude altitude = sim::Altitude::from_literal("0");
  std::size_t p = 0;     ///< altitude-bearing legacies registered before it (base order)
  std::size_t p_min = 0; ///< ... over every permitted tie order
  std::size_t p_max = 0;
  std::size_t g_lo = 0; ///< lowest clean gap (all legacies below <= altitude <= all above)
  std::size_t g_hi = 0; ///< highest clean gap; g_lo > g_hi: no clean gap exists
  /// The highest bound the top frame can have when it registers, in any permitted order:
  /// Frame 0's 49999 (R1), every legacy filter that can attach before it (R5 raises the top
  /// frame to them) and every minifilter that can register before it (R4 grows or opens frames
  /// up to their altitudes). Above it, the minifilter opens (or grows) a frame of its own (R4).
  sim::Altitude ceiling = sim::Altitude::from_literal("49999");
  bool opens_own = false; ///< above `ceiling` and in a clean gap in every order: needs nothing
  /// Gaps whose frame would hold it, if the frame exists when it registers: in [g_lo, g_hi], at
  /// most p_min, above the gap's floor (Analysis::floor) and able to hold a new frame.
  std::vector<std::size_t> options;
};

/// Why no dummy can fix the stack.
struct Blocker {
  /// too_early: it can register before a legacy filter that belongs below it.
  /// no_clean_gap: two legacy filters out of altitude order with it between them.
  /// frame_zero: it belongs above a legacy filter but Frame 0's initial range [0, 49999] holds it.
  /// no_placement: nothing can load inside the gap.
  enum class Kind { too_early, no_clean_gap, frame_zero, no_placement } kind = Kind::too_early;
  int mini = -1;             ///< the minifilter concerned (too_early, no_clean_gap)
  std::vector<int> legacies; ///< the legacy filters concerned
  std::size_t gap = 0;       ///< no_placement: the gap
};

/// Gap g lies between legacies[g-1] (below) and legacies[g] (above; none when g == n).
struct GapNeed {
  std::size_t gap = 0;
  std::vector<int> minis; ///< minifilters that need a frame in this gap
  bool natural = false;   ///< some needing minifilter opens it itself in every permitted order
};

struct Analysis {
  std::vector<LegacyReg> legacies;
  std::vector<MiniReg> minis;
  /// floor[g]: the lowest high bound the top frame can have once the legacy filters below gap g
  /// are attached and a registration above it ran R5: max(49999, their altitudes) (R1, R5). A
  /// frame of gap g starts at or above it (R4: low = the old top's high).
  std::vector<sim::Altitude> floor;
  /// openable[g]: some altitude lies above floor[g] and below the next legacy filter, so a
  /// registration there can open a frame in gap g (R4). Equal legacy neighbours, and gaps under
  /// Frame 0's ceiling (FSFilter System below FSFilter Bottom), cannot.
  std::vector<bool> openable;
  std::vector<GapNeed> gaps;       ///< gaps some minifilter needs, ascending
  std::vector<std::size_t> needed; ///< gaps that need a dummy (not natural), ascending
  std::vector<Blocker> blockers;
};

[[nodiscard]] Analysis analyze(const sim::Scenario &sc, const sim::SimResult &base_with_trace);

/// Every gap a dummy could open (Analysis::openable, the lower legacy filter attached at boot),
/// for the fallback search.
[[nodiscard]] std::vector<std::size_t> candidate_gaps(const Analysis &an);

// ---- placement (placement.cpp) ---------------------------------------------------------------

/// Altitudes a new dummy must not take.
struct AltitudeUse {
  std::set<std::string> taken; ///< canonical altitudes of the scenario and earlier dummies
  bool avoid_allocated = true;
  std::vector<sim::Altitude> own;
  [[nodiscard]] bool free(const sim::Altitude &a) const;
};
[[nodiscard]] AltitudeUse altitude_use(const sim::Scenario &sc, const Options &opt);

/// Places one dummy per gap (deterministic placements first, then same-group ones with a
/// Tag/GroupOrderList change). Gaps with no placement are returned in *unplaced.
[[nodiscard]] std::vector<DummyFilter> place_dummies(const sim::Scenario &sc, const Analysis &an,
                                                     const std::vector<std::size_t> &gaps,
                                                     const Options &opt,
                                                     std::vector<std::size_t> *unplaced);

/// A free altitude in [group_low, group_high] strictly inside (lo, hi) (hi may be absent),
/// preferring own altitudes' fractions; `prefer_high` scans from the top.
[[nodiscard]] std::optional<sim::Altitude>
choose_altitude(const AltitudeUse &use, const sim::Altitude &group_low,
                const sim::Altitude &group_high, const std::optional<sim::Altitude> &lo,
                const std::optional<sim::Altitude> &hi, bool prefer_high, bool *own = nullptr);

/// Unique service names: prefix + n, skipping names the scenario uses.
[[nodiscard]] std::string dummy_name(const sim::Scenario &sc, const std::string &prefix,
                                     std::size_t index);

// ---- alternatives and explanation (alternatives.cpp, explain.cpp) --------------------------

/// One-paragraph explanation of the blockers.
[[nodiscard]] std::string explain_blockers(const sim::Scenario &sc, const Analysis &an);

/// Candidate edit sets that may remove the blockers (or the failures of a plan).
struct EditCandidate {
  std::string description;
  std::vector<Edit> edits;
};
[[nodiscard]] std::vector<EditCandidate> edit_candidates(const sim::Scenario &sc,
                                                         const Analysis &an,
                                                         const std::vector<sim::Finding> &failures,
                                                         const Options &opt);

/// What each dummy does, comparing the before and after replays (manifest order, with trace).
[[nodiscard]] std::vector<DummyEffect> dummy_effects(const sim::Scenario &fixed,
                                                     const sim::SimResult &before,
                                                     const sim::SimResult &after,
                                                     const std::vector<DummyFilter> &dummies);

} // namespace fltsim::planner::detail
