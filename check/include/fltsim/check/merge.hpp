#pragma once
// How manifests merge into one scenario on top of an optional base scenario (docs/check.md, "How
// the scenario is built").
//
//  * Merge: base drivers first, in base order. A manifest driver whose name matches a base driver
//    replaces it in place (the change under review is a new version of a fleet driver); two
//    manifests declaring one service stay both and the resolver reports duplicate-driver.
//  * Demand-start manifest drivers that boot does not start get a load event after the base
//    scenario's own events (dependencies first), as `fltmc load` would, so their frames,
//    instances and collisions are checked too (L5).
#include <vector>

#include "fltsim/check/rules.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::check {

/// Merges `manifest_drivers` (in file order) onto `base` (may be null) and adds the demand-start
/// load events described above. Pure.
[[nodiscard]] CheckedScenario merge_scenario(const sim::Scenario *base,
                                             std::vector<sim::Driver> manifest_drivers);

} // namespace fltsim::check
