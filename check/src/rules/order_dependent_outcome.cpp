// order-dependent-outcome (docs/rules.md#order-dependent-outcome): the final stack differs
// between load orders the rules allow (ties inside a group, L3 and Q4; sim::explore_tie_orders).
#include "../rule_support.hpp"

namespace fltsim::check::detail {

const sim::RuleInfo order_dependent_outcome{
    rule::order_dependent_outcome, sim::Severity::warning,
    "The final stack differs between load orders the rules allow (ties inside a group with no "
    "distinguishing tag, Q4)."};

void order_dependent_findings(const Locator &loc, const sim::TieExploration &ties,
                              std::vector<LocatedFinding> &out) {
  if (!ties.order_dependent)
    return;
  for (const std::string &name : ties.drivers_involved)
    if (const int i = loc.index(name); loc.is_manifest(i)) {
      std::string names;
      for (std::size_t k = 0; k < ties.drivers_involved.size(); ++k)
        names += (k ? ", " : "") + ties.drivers_involved[k];
      out.push_back({make_finding(order_dependent_outcome.id, ties.drivers_involved,
                                  "the final stack depends on the load order of " + names +
                                      ", which share start type, load order group and tag; "
                                      "Windows orders them 'generally randomly' (L3, Q4). "
                                      "Give them distinct tags (GroupOrderList) or groups"),
                     loc.driver(i).location});
      return;
    }
}

} // namespace fltsim::check::detail
