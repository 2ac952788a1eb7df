#pragma once
// resolve_load_order() into a plan and buffers kept from one call to the next (the engine's
// Workspace). Internal to fltsim_sim.
#include <array>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fltsim/sim/load_order.hpp"
#include "name_index.hpp"

namespace fltsim::sim::detail {

/// The resolver's working storage; every member is reset by each call.
struct ResolverBuffers {
  NameIndex by_name;
  NameIndex own_group_pos;
  NameIndex gol_groups;
  std::vector<std::unordered_map<std::uint32_t, std::uint64_t>> gol;
  std::vector<bool> ignored, cyclic, failed, visited;
  std::vector<int> group_at, listed_at, in_cycle, stack, members, indegree;
  std::vector<std::pair<LoadKey, int>> keyed;
  std::array<std::vector<int>, 3> sorted_phase;
  std::vector<std::int64_t> rank;
  std::vector<std::vector<int>> dependents;
  std::vector<std::pair<std::int64_t, int>> ready;
};

/// resolve_load_order(scenario, tie_permutation) into `plan` (replacing its content).
void resolve_load_order(const Scenario &scenario,
                        const std::vector<std::vector<int>> &tie_permutation, LoadPlan &plan,
                        ResolverBuffers &buffers);

/// The plan resolve_load_order(scenario) would give, as `base` (and `base_buffers`, left by the
/// resolve_load_order() call without a tie permutation that made it) extended, when `scenario` is
/// the scenario of that call with drivers appended after its first `base_drivers` and these
/// cannot move the others (see load_order.cpp). Returns false, `plan` unspecified, when they
/// might: the caller resolves. `plan.ties` is left empty (the engine does not read it).
[[nodiscard]] bool extend_load_order(const Scenario &scenario, std::size_t base_drivers,
                                     const LoadPlan &base, const ResolverBuffers &base_buffers,
                                     LoadPlan &plan);

} // namespace fltsim::sim::detail
