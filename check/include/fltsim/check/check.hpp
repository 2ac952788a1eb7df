#pragma once
// fltsim_check: the `fltsim check` engine as a library (docs/check.md). Pure: manifests already
// read, an optional base scenario, suppressions and options in; a CheckReport out. No files, no
// clock, no output formats: front ends (the `fltsim check` command, a fleet run, the viewer, a
// binding) read the inputs and render the report.
//
// The pipeline: merge the manifest drivers onto the base (merge.hpp), simulate (sim::simulate),
// explore tie orders when drivers tie inside a group (E8, Q4), run the rules (rules.hpp: the
// engine's findings plus the manifest-only rules), drop suppressed findings (suppress.hpp).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fltsim/check/rules.hpp"
#include "fltsim/check/suppress.hpp"
#include "fltsim/sim/allocated.hpp"
#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::check {

/// The drivers one manifest file declared, with what its reader reported.
struct ManifestFile {
  std::string path;                         ///< as reported (findings default to it)
  std::vector<sim::Driver> drivers;         ///< a driver without location gets `path`
  std::vector<sim::Diagnostic> diagnostics; ///< reader diagnostics, in reader order
};

struct CheckOptions {
  sim::Severity fail_on = sim::Severity::error;
  /// Tie orders to simulate (order-dependent-outcome); nullopt = auto: kExploreBudget / drivers,
  /// between 16 and 720. 0 or 1 turns the exploration off.
  std::optional<std::uint64_t> max_orders;
  /// Microsoft's allocated-altitude list; nullptr = the built-in one.
  const sim::AllocatedTable *allocated = nullptr;
};

struct CheckInputs {
  std::vector<ManifestFile> manifests;       ///< in the order the files were read
  std::optional<sim::Scenario> base;         ///< `--base`: the fleet the manifests are checked on
  std::vector<Suppression> suppressions;     ///< accepted findings
  std::vector<sim::Diagnostic> input_errors; ///< errors met before reading (e.g. a missing path)
  CheckOptions options;
  /// `--baseline`: the Windows baseline whose drivers `base` holds (docs/baselines.md).
  std::optional<CheckBaseline> baseline;
};

struct CheckReport {
  std::vector<LocatedFinding> findings; ///< after suppressions, sorted
  std::size_t suppressed = 0;
  std::vector<std::string> files;            ///< manifest files read, as reported
  std::vector<sim::Diagnostic> input_errors; ///< unreadable or invalid input (exit 2)
  std::size_t manifest_drivers = 0;
  std::size_t base_drivers = 0;
  sim::Severity fail_on = sim::Severity::error;
  std::optional<sim::TieExploration> ties; ///< when tie orders were explored
  std::optional<CheckBaseline> baseline;   ///< the baseline checked on, when one was given
  std::size_t inbox_excepted = 0;          ///< findings an inbox exception removed
};

/// Orders `auto` allows for a scenario of `drivers` drivers (docs/check.md, "Performance").
[[nodiscard]] std::uint64_t auto_max_orders(std::size_t drivers);

/// Runs the whole check. Same inputs, same report.
[[nodiscard]] CheckReport run_check(CheckInputs inputs);

/// Findings at or above `fail_on` (they decide exit code 1).
[[nodiscard]] std::size_t failing_count(const CheckReport &r);

} // namespace fltsim::check
