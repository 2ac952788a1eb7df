#pragma once
// One machine before and after the change (evaluate_machine), with the buffers a worker keeps
// from one machine to the next. Internal to fltsim_fleet.
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/fleet/fleet.hpp"
#include "fltsim/sim/engine.hpp"

namespace fltsim::fleet::detail {

/// The services the change adds or removes ("is this filter part of the change"),
/// case-insensitively.
class ChangedNames {
public:
  explicit ChangedNames(const Change &change);
  [[nodiscard]] bool contains(std::string_view name) const;

private:
  std::vector<std::string> names_;
};

/// evaluate_machine() for many machines of one change. Not thread-safe: one per worker.
class MachineEvaluator {
public:
  explicit MachineEvaluator(const Change &change);
  /// evaluate_machine(machine, build, before, change). `before` is changed while this runs and
  /// restored before it returns: when the change only installs drivers the machine does not
  /// have, the after scenario is `before` with them appended, not a copy.
  [[nodiscard]] MachineResult evaluate(std::string machine, std::string build,
                                       sim::Scenario &before);

private:
  const Change &change_;
  ChangedNames changed_;
  bool appends_ = false;
  std::vector<std::string> keys_;
  std::vector<std::string_view> order_b_, order_a_;
  std::string sig_b_, sig_a_;
  sim::Workspace before_ws_, after_ws_; // the engine's buffers for each side
  void classify(MachineResult &out, const sim::SimResult &b, const sim::SimResult &a);
  bool same_outcome(const sim::SimResult &b, const sim::SimResult &a);
};

} // namespace fltsim::fleet::detail
