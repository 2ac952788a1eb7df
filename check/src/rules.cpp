// `fltsim check` rules: see fltsim/check/rules.hpp and docs/rules.md. The rules themselves live
// one per file under check/src/rules/; this file runs them and locates the engine's findings.
#include "fltsim/check/rules.hpp"

#include <algorithm>
#include <array>
#include <tuple>

#include "fltsim/sim/require.hpp"
#include "rule_support.hpp"

namespace fltsim::check {

namespace detail {

sim::Finding make_finding(std::string_view code, std::vector<std::string> drivers,
                          std::string message) {
  const sim::RuleInfo *rule = find_rule(code);
  FLTSIM_REQUIRE(rule != nullptr, "check rule is in the catalogue");
  return {std::string(code), rule->severity, std::move(message), std::move(drivers)};
}

std::string range_text(const sim::GroupInfo &g) {
  return "'" + std::string(g.name) + "' (" + std::string(g.low) + "-" + std::string(g.high) + ")";
}

bool in_range(const sim::Altitude &a, const sim::GroupInfo &g) {
  return !(a < sim::Altitude::from_literal(g.low)) && !(sim::Altitude::from_literal(g.high) < a);
}

sim::SourceLocation instance_location(const sim::Driver &d, const sim::Instance &i) {
  return i.location.file.empty() ? d.location : i.location;
}

std::string instance_text(const sim::Driver &d, const sim::Instance &i) {
  return "instance '" + i.name + "' of " + d.name;
}

} // namespace detail

bool allocated_owner_matches(std::string_view listed, std::string_view service) {
  // "minispy.sys - Top": the list labels the per-instance altitudes of one driver.
  if (const std::size_t dash = listed.find(" - "); dash != std::string_view::npos)
    listed = listed.substr(0, dash);
  while (!listed.empty() && listed.back() == ' ')
    listed.remove_suffix(1);
  return sim::same_driver_name(listed, service);
}

std::vector<LocatedFinding> driver_rules(const sim::Driver &d,
                                         const sim::AllocatedTable &allocated) {
  static const std::array<const detail::DriverRule *, 3> rules{{
      &detail::altitude_out_of_group_range,
      &detail::legacy_not_boot_start,
      &detail::altitude_allocated_elsewhere,
  }};
  std::vector<LocatedFinding> out;
  for (const detail::DriverRule *r : rules)
    r->check(d, allocated, out);
  return out;
}

std::vector<LocatedFinding> run_check_rules(const CheckedScenario &checked,
                                            const sim::SimResult &result,
                                            const sim::TieExploration *ties,
                                            const std::vector<sim::Diagnostic> &diagnostics,
                                            const sim::AllocatedTable &allocated) {
  FLTSIM_REQUIRE(checked.from_manifest.size() == checked.scenario.drivers.size(),
                 "from_manifest is parallel to the drivers");
  const detail::Locator loc(checked);
  std::vector<LocatedFinding> out;
  for (const sim::Finding &f : result.findings)
    if (auto where = loc.locate(f))
      out.push_back({f, std::move(*where)});
  for (std::size_t i = 0; i < checked.scenario.drivers.size(); ++i)
    if (checked.from_manifest[i])
      for (LocatedFinding &lf : driver_rules(checked.scenario.drivers[i], allocated))
        out.push_back(std::move(lf));
  if (ties)
    detail::order_dependent_findings(loc, *ties, out);
  detail::resolver_fact_findings(loc, result, out);
  for (const sim::Diagnostic &d : diagnostics)
    if (const auto rule = rule_for_diagnostic(d))
      out.push_back({detail::make_finding(*rule, {}, d.message), d.location});

  auto key = [](const LocatedFinding &f) {
    return std::tie(f.location.file, f.location.line, f.location.column, f.finding.code,
                    f.finding.message);
  };
  std::sort(out.begin(), out.end(),
            [&](const LocatedFinding &a, const LocatedFinding &b) { return key(a) < key(b); });
  out.erase(std::unique(
                out.begin(), out.end(),
                [&](const LocatedFinding &a, const LocatedFinding &b) { return key(a) == key(b); }),
            out.end());
  return out;
}

bool at_least(sim::Severity s, sim::Severity threshold) {
  return static_cast<int>(s) >= static_cast<int>(threshold);
}

} // namespace fltsim::check
