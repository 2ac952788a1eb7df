// The `fltsim check` pipeline: see fltsim/check/check.hpp.
#include "fltsim/check/check.hpp"

#include <algorithm>

#include "fltsim/check/merge.hpp"
#include "fltsim/sim/load_order.hpp"

namespace fltsim::check {

namespace {

// Tie exploration simulates the whole scenario once per order. "auto" allows kExploreBudget /
// drivers orders, between 16 and 720: every order of a small scenario, a seeded sample for a large
// one (1,000 drivers: 25 orders, about 0.1 s of CPU on the benchmark machine, docs/check.md).
constexpr std::uint64_t kExploreBudget = 25000;
constexpr std::uint64_t kAutoMaxOrders = 720;
constexpr std::uint64_t kAutoMinOrders = 16;

} // namespace

std::uint64_t auto_max_orders(std::size_t drivers) {
  const std::uint64_t n = std::max<std::uint64_t>(drivers, 1);
  return std::clamp(kExploreBudget / n, kAutoMinOrders, kAutoMaxOrders);
}

CheckReport run_check(CheckInputs in) {
  CheckReport report;
  report.fail_on = in.options.fail_on;
  report.input_errors = std::move(in.input_errors);
  std::vector<sim::Driver> drivers;
  std::vector<sim::Diagnostic> reader_findings;
  for (ManifestFile &m : in.manifests) {
    report.files.push_back(m.path);
    for (sim::Diagnostic &d : m.diagnostics)
      (rule_for_diagnostic(d) ? reader_findings : report.input_errors).push_back(std::move(d));
    for (sim::Driver &d : m.drivers) {
      if (d.location.file.empty())
        d.location.file = m.path; // default location: the manifest file
      drivers.push_back(std::move(d));
    }
  }
  report.manifest_drivers = drivers.size();
  const CheckedScenario checked = merge_scenario(in.base ? &*in.base : nullptr, std::move(drivers));
  report.base_drivers = checked.scenario.drivers.size() -
                        static_cast<std::size_t>(std::count(checked.from_manifest.begin(),
                                                            checked.from_manifest.end(), true));

  sim::SimOptions opt;
  opt.record_trace = false;
  const sim::SimResult result = sim::simulate(checked.scenario, opt);
  for (const sim::Diagnostic &d : result.input_errors)
    if (!rule_for_diagnostic(d))
      report.input_errors.push_back(d);
  // Without tie classes there is one permitted order; skip the exploration's extra simulation.
  const std::uint64_t orders = in.options.max_orders
                                   ? *in.options.max_orders
                                   : auto_max_orders(checked.scenario.drivers.size());
  if (orders > 1 && !sim::resolve_load_order(checked.scenario).ties.empty()) {
    sim::ExploreOptions eo;
    eo.max_orders = orders;
    report.ties = sim::explore_tie_orders(checked.scenario, eo);
  }
  const sim::AllocatedTable &allocated =
      in.options.allocated ? *in.options.allocated : sim::builtin_allocated_altitudes();
  std::vector<LocatedFinding> findings = run_check_rules(
      checked, result, report.ties ? &*report.ties : nullptr, reader_findings, allocated);
  if (in.baseline) {
    report.inbox_excepted = apply_inbox_exceptions(findings, checked, in.baseline->exceptions);
    note_inbox_filters(findings, checked, *in.baseline);
    report.baseline = std::move(in.baseline);
  }
  for (LocatedFinding &f : findings) {
    const bool hidden = std::any_of(in.suppressions.begin(), in.suppressions.end(),
                                    [&](const Suppression &s) { return suppresses(s, f); });
    if (hidden)
      ++report.suppressed;
    else
      report.findings.push_back(std::move(f));
  }
  return report;
}

std::size_t failing_count(const CheckReport &r) {
  return static_cast<std::size_t>(
      std::count_if(r.findings.begin(), r.findings.end(), [&](const LocatedFinding &f) {
        return at_least(f.finding.severity, r.fail_on);
      }));
}

} // namespace fltsim::check
