#pragma once
// The planner panel's model: run the planner on the scenario (on a worker thread, so the window
// stays responsive), keep its proposal, and lay out the stacks before and after side by side.
// The planner is a function so the viewer still builds, and says so, when the planner module is
// not part of the build, and so tests can exercise the panel logic on its own.
#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fltsim/sim/result.hpp"
#include "fltsim/sim/scenario.hpp"
#include "fltsim/viewer/stack_view.hpp"

namespace fltsim::viewer {

/// What a planner run proposes.
struct PlanProposal {
  enum class Outcome {
    fix,            ///< `fixed` removes the inversions (verified by the planner)
    nothing_to_fix, ///< no altitude inversion in any permitted load order
    no_fix,         ///< no fix exists, or a search limit was hit
  };
  Outcome outcome = Outcome::no_fix;
  std::string summary;              ///< one paragraph for the panel
  std::vector<std::string> changes; ///< one line per change ("add dummy minifilter ...")
  std::vector<std::string> dummies; ///< names of the dummy drivers the fix adds
  sim::Scenario fixed;              ///< the scenario with the fix applied (outcome fix)
};

/// Shared between the viewer and a planner run on another thread.
struct PlannerControl {
  std::atomic<bool> stop{false};             ///< set to cancel the run
  std::atomic<std::uint64_t> simulations{0}; ///< progress so far
};

using PlannerFunction = std::function<PlanProposal(const sim::Scenario &, PlannerControl &control)>;

/// The real planner (fltsim/planner/planner.hpp) when the planner module is built, else an empty
/// function.
[[nodiscard]] PlannerFunction builtin_planner();

struct PlannerPanelState {
  enum class Status { idle, unavailable, running, found, nothing_to_fix, not_found, stale };
  Status status = Status::idle;
  std::optional<PlanProposal> proposal;
  StackView before;              ///< the scenario's final stack when the planner ran
  StackView after;               ///< the fixed scenario's final stack
  std::size_t before_errors = 0; ///< error findings before / after
  std::size_t after_errors = 0;
  bool applied = false;          ///< the proposal was applied to the open scenario
  std::uint64_t simulations = 0; ///< progress of a running planner
  std::string message;           ///< last status line (save result, errors)
  bool message_is_error = false;
};
[[nodiscard]] const char *to_string(PlannerPanelState::Status s);

/// Layout for the side-by-side towers: narrower, without the altitude axis.
[[nodiscard]] StackLayoutOptions compact_layout();

/// Fills the panel from a finished run on `scenario`.
void fill_planner_panel(PlannerPanelState &panel, const sim::Scenario &scenario, PlanProposal p);

/// One planner run on a worker thread. Destroying it cancels the run and waits for the thread.
class PlannerJob {
public:
  PlannerJob() = default;
  PlannerJob(const PlannerFunction &planner, sim::Scenario scenario);
  PlannerJob(PlannerJob &&) = default;
  PlannerJob &operator=(PlannerJob &&other);
  ~PlannerJob();

  [[nodiscard]] bool active() const { return result_.valid(); }
  [[nodiscard]] bool ready() const;
  [[nodiscard]] std::uint64_t simulations() const;
  /// Blocks until the run ends and returns its proposal (the job becomes inactive).
  [[nodiscard]] PlanProposal take();
  [[nodiscard]] const sim::Scenario &input() const { return *input_; }
  void cancel();

private:
  std::shared_ptr<PlannerControl> control_;
  std::shared_ptr<const sim::Scenario> input_;
  std::future<PlanProposal> result_;
};

} // namespace fltsim::viewer
