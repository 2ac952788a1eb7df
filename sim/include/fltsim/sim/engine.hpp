#pragma once
// fltsim engine facade: replays what Windows does at boot and after, and returns the filter stack.
//
// Domain model (docs/model.md):
//  * fltmgr is a legacy filter. At boot it creates Frame 0 = [0, 49999] (R1).
//  * Legacy filters attach on top of the stack in load order (R2); their altitude comes from their
//    load order group, x9998.99 (docs/model.md#legacy-altitudes), or they have none.
//  * A minifilter registers into the lowest frame whose inclusive range holds its default-instance
//    altitude (R3). If none does, the top frame is raised to the highest legacy filter registered
//    since fltmgr's last frame (R5); if it still does not fit, a new frame opens on top of the
//    stack, or the top frame just grows when nothing registered since (R4).
//  * Frames never shrink or disappear; unload + reload lands in the same frame (R6).
//
// Worked example (scenarios/blog_example_a.yaml, docs/model.md#example-a):
//   FileInfo 45000 (boot, FSFilter Bottom)       -> Frame 0 [0, 49999]
//   EncryptionLegacy (boot, FSFilter Encryption) -> attaches above Frame 0, altitude 149998.99
//   AVLegacy (boot, FSFilter Anti-Virus)         -> attaches above it, altitude 329998.99
//   AVMiniFilter 328000 (boot, Anti-Virus)       -> no frame holds it; R5 raises Frame 0 to
//                                                   [0, 329998.99]; it lands in Frame 0, *below*
//                                                   EncryptionLegacy: an altitude-inversion.
//   luafv 135000 (auto, Virtualization)          -> Frame 0.
//
// The engine is pure: no files, clock, environment or globals. Same input, same output.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fltsim/sim/load_order.hpp"
#include "fltsim/sim/result.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::sim {

struct SimOptions {
  /// Stop after this many trace steps (0 = stop before any step); nullopt = run to the end. The
  /// viewer uses it to show the stack "as of step N".
  std::optional<int> stop_after_step;
  /// Record narrated trace steps (off speeds up bulk exploration).
  bool record_trace = true;
  /// Compute findings (off speeds up bulk exploration).
  bool compute_findings = true;
  /// Fill SimResult::volumes, each volume's own stack (off speeds up callers that read only the
  /// frames, the stack and the findings: fleet runs, tie-order exploration).
  bool volume_stacks = true;
  /// Fill SimResult::load_order with the drivers' names (off for callers that do not read it:
  /// fleet runs). DriverOutcome::load_position is set either way, as an index into the list
  /// that would have been filled.
  bool load_order = true;
  /// Tie permutations, see resolve_load_order().
  std::vector<std::vector<int>> tie_permutation;
};

/// Runs the boot replay and the scenario's events.
[[nodiscard]] SimResult simulate(const Scenario &scenario, const SimOptions &options = {});

/// What simulate() keeps from one run to the next: the result and the engine's buffers. A caller
/// that simulates many scenarios one after another (a fleet worker, tie-order exploration, the
/// planner's verification) passes the same Workspace, and a run allocates only where its
/// scenario needs more room than the ones before (or for what it returns that has to be built:
/// findings' messages, trace narration). Not thread-safe: one per thread.
class Workspace {
public:
  Workspace();
  ~Workspace();
  Workspace(Workspace &&) noexcept;
  Workspace &operator=(Workspace &&) noexcept;
  Workspace(const Workspace &) = delete;
  Workspace &operator=(const Workspace &) = delete;

  struct State; ///< engine.cpp
  [[nodiscard]] State &state() { return *state_; }
  [[nodiscard]] const State *state_ptr() const { return state_.get(); }

private:
  std::unique_ptr<State> state_;
};

/// simulate(scenario, options) into `workspace`: the same result, held by the workspace and valid
/// until its next run (or its end).
[[nodiscard]] const SimResult &simulate(const Scenario &scenario, const SimOptions &options,
                                        Workspace &workspace);

/// simulate(scenario, options, workspace) for a scenario that is the one `base` last simulated
/// with drivers appended: its first `base_drivers` drivers and everything else as they were for
/// that run. Where the appended drivers cannot move the others in the load order (no dependency
/// either way, a boot or system start or none at boot, a name of their own), `base`'s load plan
/// is extended instead of resolved again (docs/performance.md#fleet-cpu); otherwise, or when
/// `base`'s last run was not of this scenario without a tie permutation, this is simulate().
/// The result is simulate()'s either way. `base` must not be `workspace`.
[[nodiscard]] const SimResult &simulate_appended(const Scenario &scenario, std::size_t base_drivers,
                                                 const Workspace &base, const SimOptions &options,
                                                 Workspace &workspace);

/// A canonical summary of a result's stack shape, for comparing outcomes of different load orders:
/// each frame's members (with attached instance counts) and the stack order. Frame ranges are not
/// part of it: two orders that put every filter in the same place are the same outcome.
[[nodiscard]] std::string outcome_signature(const SimResult &result);
/// The same into `out` (replacing its content), for callers that compare many results.
void outcome_signature(const SimResult &result, std::string &out);
/// outcome_signature(result).size() without building it: two results whose sizes differ have
/// different signatures.
[[nodiscard]] std::size_t outcome_signature_size(const SimResult &result);

/// Result of trying the load orders the rules allow (ties inside a group, Q4).
struct TieExploration {
  std::uint64_t total_orders = 1; ///< product of tie-class factorials (saturating)
  std::uint64_t orders_tried = 0;
  bool exhaustive = false;      ///< every permitted order was simulated
  bool order_dependent = false; ///< at least two tried orders gave different stacks
  /// When order_dependent: the tie permutation that differs from manifest order, and the drivers
  /// in the tie classes involved.
  std::vector<std::vector<int>> differing_permutation;
  std::vector<std::string> drivers_involved;
  /// ExploreOptions::should_stop ended the exploration early (a time budget): a partial result.
  /// `exhaustive` is then false and order dependence is not ruled out.
  bool stopped = false;
};

struct ExploreOptions {
  std::uint64_t max_orders = 5040; ///< exhaustive up to this many orders, else a seeded sample
  std::uint64_t sample_seed = 1;
  /// Asked before each order after the first; true stops with a partial result. Front ends pass
  /// a deadline check here (the engine itself has no clock). May be empty.
  std::function<bool()> should_stop;
};

/// One sentence for reports: how many orders were tried and what that rules out, including the
/// partial-result wording when the exploration was sampled or stopped.
[[nodiscard]] std::string describe(const TieExploration &exploration);

/// Simulates every permitted tie order (or a seeded sample of max_orders when there are more) and
/// reports whether the final stack depends on the order.
[[nodiscard]] TieExploration explore_tie_orders(const Scenario &scenario,
                                                const ExploreOptions &options = {});

} // namespace fltsim::sim
