// The rule catalogue of `fltsim check` (check/rules.hpp): the engine's rules (sim), then check's
// own, in the order reports list them. Each entry is defined beside its rule's logic.
#include <array>

#include "rule_support.hpp"

namespace fltsim::check {

namespace {

const std::vector<sim::RuleInfo> &catalogue() {
  static const std::vector<sim::RuleInfo> all = [] {
    std::vector<sim::RuleInfo> v(sim::rule_catalogue().begin(), sim::rule_catalogue().end());
    const std::array<const sim::RuleInfo *, 8> own{{
        &detail::altitude_out_of_group_range.info,
        &detail::invalid_altitude,
        &detail::legacy_not_boot_start.info,
        &detail::altitude_allocated_elsewhere.info,
        &detail::order_dependent_outcome,
        &detail::dependency_cycle,
        &detail::duplicate_driver,
        &detail::kind_evidence,
    }};
    for (const sim::RuleInfo *r : own)
      v.push_back(*r);
    return v;
  }();
  return all;
}

} // namespace

std::span<const sim::RuleInfo> rule_catalogue() {
  return catalogue();
}

const sim::RuleInfo *find_rule(std::string_view id) {
  for (const sim::RuleInfo &r : catalogue())
    if (r.id == id)
      return &r;
  return nullptr;
}

} // namespace fltsim::check
