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

std::size_t apply_inbox_exceptions(std::vector<LocatedFinding> &findings,
                                   const CheckedScenario &checked,
                                   const std::vector<InboxException> &exceptions) {
  const detail::Locator loc(checked);
  auto covered = [&](const LocatedFinding &lf) {
    const sim::Finding &f = lf.finding;
    if (f.drivers.empty())
      return false;
    const int i = loc.index(f.drivers.front());
    if (i < 0)
      return false;
    const sim::Driver &d = loc.driver(i);
    return std::any_of(exceptions.begin(), exceptions.end(), [&](const InboxException &x) {
      if (x.rule != f.code || !sim::iequals(x.filter, d.name))
        return false;
      if (x.field == "group")
        return d.group && sim::iequals(*d.group, x.windows_value);
      if (x.field == "altitude")
        return std::any_of(d.instances.begin(), d.instances.end(), [&](const sim::Instance &inst) {
          return inst.altitude.text() == x.windows_value;
        });
      return x.field == "name";
    });
  };
  const auto before = findings.size();
  findings.erase(std::remove_if(findings.begin(), findings.end(), covered), findings.end());
  return before - findings.size();
}

void note_inbox_filters(std::vector<LocatedFinding> &findings, const CheckedScenario &checked,
                        const CheckBaseline &baseline) {
  const detail::Locator loc(checked);
  for (LocatedFinding &lf : findings) {
    std::string inbox;
    for (const std::string &name : lf.finding.drivers) {
      const int i = loc.index(name);
      if (i < 0 || loc.is_manifest(i))
        continue; // a manifest driver of an inbox name is the change under review
      if (std::any_of(baseline.inbox_filters.begin(), baseline.inbox_filters.end(),
                      [&](const std::string &n) { return sim::iequals(n, name); }) &&
          inbox.find(name) == std::string::npos)
        inbox += (inbox.empty() ? "" : ", ") + loc.driver(i).name;
    }
    if (!inbox.empty())
      lf.finding.message += " (" + inbox +
                            (inbox.find(',') == std::string::npos ? " is an" : " are") +
                            " inbox filter" + (inbox.find(',') == std::string::npos ? "" : "s") +
                            " of " + baseline.id + ")";
  }
}

bool at_least(sim::Severity s, sim::Severity threshold) {
  return static_cast<int>(s) >= static_cast<int>(threshold);
}

} // namespace fltsim::check
