#pragma once
// `--baseline ID` (repeatable) of check, plan and simulate (docs/baselines.md): resolving the ids
// into runs (one per Windows build; overlays apply to every build) and bridging a baseline to
// fltsim_check's CheckBaseline.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "fltsim/baselines/baselines.hpp"
#include "fltsim/check/rules.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"

namespace fltsim::cli {

/// Adds `--baseline ID` to `sub`, one id per option so positional arguments may follow it.
void add_baseline_option(CLI::App &sub, std::vector<std::string> &ids);

/// The runs `ids` ask for; prints "fltsim: --baseline: ..." to `err` and returns nullopt on an
/// unknown id. Empty `ids`: no runs.
[[nodiscard]] std::optional<std::vector<baselines::BaselineSet>>
resolve_baselines_or_report(const std::vector<std::string> &ids, std::ostream &err);

/// The scenario as written, without the drivers of its own `baseline:` key (which `--baseline`
/// replaces).
[[nodiscard]] sim::Scenario scenario_without_baselines(const manifest::ScenarioLoad &load);

/// The check engine's view of a baseline set: its id, completeness, inbox filters and exceptions.
[[nodiscard]] check::CheckBaseline to_check_baseline(const baselines::BaselineSet &set);

/// One line: "baseline windows-11-24h2 (partial: 15 inbox drivers, docs/baselines.md)".
[[nodiscard]] std::string baseline_banner(const baselines::BaselineSet &set);

} // namespace fltsim::cli
