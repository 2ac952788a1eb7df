#pragma once
// Load-order resolver (docs/model.md#load-order, L1-L6).
//
// BOOT, then SYSTEM, then AUTO; inside each phase ServiceGroupOrder position, then tag index
// (GroupOrderList), then manifest (install) order. Drivers with no group or a group missing from
// ServiceGroupOrder come after the grouped ones of their phase (L3). AUTO follows the Service
// Control Manager's documentation (L4, Q5):
// ordered like BOOT and SYSTEM, then `depends_on` moves a service after the services it depends
// on, and a DEMAND service that an AUTO service depends on is started just before it. DEMAND
// drivers otherwise load only through events (L5); DISABLED never loads.
#include <cstdint>
#include <vector>

#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::sim {

/// Sort key of a driver inside its start phase (L3).
struct LoadKey {
  int phase = 0;                 ///< 0 boot, 1 system, 2 auto
  std::uint32_t group_index = 0; ///< ServiceGroupOrder position; unlisted/no group = after all
  std::uint64_t tag_index = 0;   ///< L3 tag key
  [[nodiscard]] friend bool operator==(const LoadKey &, const LoadKey &) = default;
  [[nodiscard]] friend auto operator<=>(const LoadKey &, const LoadKey &) = default;
};

/// Drivers whose keys are equal: their relative order is "generally random ... normally install
/// order" (L3, Q4). fltsim uses manifest order and can explore the other permutations.
struct TieClass {
  std::vector<int> drivers; ///< driver indices, manifest order
};

struct LoadPlan {
  /// Driver indices in the order their DriverEntry runs at boot (boot, system, auto phases),
  /// FltMgr itself excluded (it always runs first, L2).
  std::vector<int> order;
  std::vector<int> phase_of;      ///< parallel to order: 0 boot, 1 system, 2 auto
  std::vector<TieClass> ties;     ///< classes of size >= 2 among boot/system/auto drivers
  std::vector<int> unknown_group; ///< drivers whose group is not in ServiceGroupOrder
  std::vector<Diagnostic> errors; ///< dependency cycles (named), duplicate names
  std::vector<std::pair<int, std::string>> missing_dependencies; ///< (driver, missing service)
};

/// Resolves the boot-time load order. `tie_permutation`, if non-empty, gives for each entry of
/// the returned `ties` (in order) a permutation of positions 0..size-1 to use instead of manifest
/// order; used by tie-order exploration.
[[nodiscard]] LoadPlan
resolve_load_order(const Scenario &scenario,
                   const std::vector<std::vector<int>> &tie_permutation = {});

/// True if `name` is the filter manager's own service (always loaded first, R1/L2).
[[nodiscard]] bool is_filter_manager(const std::string &name);

} // namespace fltsim::sim
