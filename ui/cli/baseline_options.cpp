// `--baseline`: see baseline_options.hpp.
#include "baseline_options.hpp"

#include <ostream>

namespace fltsim::cli {

void add_baseline_option(CLI::App &sub, std::vector<std::string> &ids) {
  sub.add_option("--baseline", ids,
                 "Windows baseline to run on (see `fltsim baselines`): its inbox filters come "
                 "first. Repeatable: one run per Windows build, overlays (role-...) added to "
                 "each")
      ->allow_extra_args(false);
}

std::optional<std::vector<baselines::BaselineSet>>
resolve_baselines_or_report(const std::vector<std::string> &ids, std::ostream &err) {
  baselines::BaselineRuns runs = baselines::resolve_baseline_runs(ids);
  if (!runs.error.empty()) {
    err << "fltsim: --baseline: " << runs.error << "\n";
    return std::nullopt;
  }
  return std::move(runs.runs);
}

sim::Scenario scenario_without_baselines(const manifest::ScenarioLoad &load) {
  return load.without_baselines ? *load.without_baselines : *load.scenario;
}

check::CheckBaseline to_check_baseline(const baselines::BaselineSet &set) {
  check::CheckBaseline b;
  b.id = set.label();
  b.partial = false;
  for (const baselines::Baseline *part : set.parts) {
    b.partial = b.partial || part->completeness == baselines::Completeness::partial;
    for (const sim::Driver &d : part->drivers)
      b.inbox_filters.push_back(d.name);
    for (const baselines::BaselineInboxException &x : part->inbox_exceptions)
      b.exceptions.push_back({x.filter, x.field, x.windows_value, x.rule});
  }
  return b;
}

std::string baseline_banner(const baselines::BaselineSet &set) {
  std::size_t drivers = 0;
  bool partial = false;
  for (const baselines::Baseline *part : set.parts) {
    drivers += part->drivers.size();
    partial = partial || part->completeness == baselines::Completeness::partial;
  }
  return "baseline " + set.label() + " (" + (partial ? "partial" : "complete") + ": " +
         std::to_string(drivers) + " inbox drivers, docs/baselines.md)";
}

} // namespace fltsim::cli
