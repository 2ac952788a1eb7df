// The rules whose facts the readers and the load-order resolver find while reading
// (sim::Diagnostic::fact): invalid-altitude (A1), duplicate-driver, dependency-cycle (L4), and the
// readers' kind-evidence notes (docs/model.md#kind-evidence).
// `check` reports them as findings at the manifest line; elsewhere they are input errors.
// docs/rules.md#invalid-altitude, #duplicate-driver, #dependency-cycle.
#include "../rule_support.hpp"

namespace fltsim::check::detail {

const sim::RuleInfo invalid_altitude{
    sim::rule::invalid_altitude, sim::Severity::error,
    "An altitude is not a decimal string of digits with at most one '.' (A1/A3)."};
const sim::RuleInfo dependency_cycle{
    sim::rule::dependency_cycle, sim::Severity::error,
    "Services depend on each other in a cycle; the Service Control Manager cannot order them."};
const sim::RuleInfo duplicate_driver{
    sim::rule::duplicate_driver, sim::Severity::error,
    "Two manifests declare the same service name (service names are unique, case-insensitive)."};
const sim::RuleInfo kind_evidence{
    sim::rule::kind_evidence, sim::Severity::note,
    "How a manifest's service was classified when its evidence left the kind open, or why it was "
    "left out (a file system; docs/model.md#kind-evidence)."};

void resolver_fact_findings(const Locator &loc, const sim::SimResult &r,
                            std::vector<LocatedFinding> &out) {
  for (const sim::Diagnostic &e : r.input_errors) {
    const auto rule = rule_for_diagnostic(e);
    if (!rule)
      continue;
    if (*rule == sim::rule::dependency_cycle) {
      const std::vector<std::string> &members = e.drivers; // the cycle, each member once
      for (const std::string &m : members)
        if (const int i = loc.index(m); loc.is_manifest(i)) {
          out.push_back({make_finding(*rule, members, e.message), loc.driver(i).location});
          break;
        }
    } else if (const int i = loc.at_location(e.location); loc.is_manifest(i)) {
      out.push_back({make_finding(*rule, {loc.driver(i).name}, e.message), e.location});
    }
  }
}

} // namespace fltsim::check::detail

namespace fltsim::check {

std::optional<std::string_view> rule_for_diagnostic(const sim::Diagnostic &d) {
  if (d.fact.empty())
    return std::nullopt;
  return d.fact;
}

} // namespace fltsim::check
