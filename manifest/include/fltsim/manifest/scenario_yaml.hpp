#pragma once
// YAML scenarios (docs/scenario-format.md): the only code that sees yaml-cpp. Text in,
// Scenario + Diagnostics out; yaml-cpp exceptions never leave this module.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::manifest {

/// A scenario's `expect:` block: the outcome the file states, checked by the scenario tests
/// (tests/scenarios/scenarios_test.cpp); `fltsim simulate` reads it and ignores it. Every part is
/// optional.
struct ExpectedFrame {
  int id = 0;
  std::string low, high;
  std::optional<std::vector<std::string>> filters; ///< names, ascending altitude
};
struct ExpectedStep {
  std::string after; ///< driver name: state after the last trace step of that driver's load
  std::vector<std::string> frames; ///< "low-high" per frame, ascending id
  sim::SourceLocation location;
};
struct ExpectedFinding {
  std::string code;
  std::vector<std::string> drivers; ///< empty = any
};
/// One volume's own stack (expect.volumes, docs/scenario-format.md#expect-volumes).
struct ExpectedVolume {
  std::string volume;
  std::optional<std::vector<std::string>> stack;   ///< "Frame N" or a legacy driver, bottom to top
  std::optional<std::vector<std::string>> filters; ///< every filter on the volume, bottom to top
  std::optional<std::vector<std::string>> skipped; ///< drivers kept off it by its class
  sim::SourceLocation location;
};
struct Expectation {
  std::optional<std::vector<ExpectedFrame>> frames;
  std::optional<std::vector<std::string>> stack; ///< "Frame N" or a legacy driver name
  std::optional<std::vector<std::string>> load_order;
  std::optional<std::vector<ExpectedFinding>> findings; ///< exact multiset
  std::optional<std::vector<std::string>> input_errors; ///< diagnostic codes, exact multiset
  std::vector<ExpectedStep> steps;
  std::optional<bool> order_dependent;                ///< tie-order exploration outcome
  std::optional<std::vector<ExpectedVolume>> volumes; ///< per-volume stacks
  sim::SourceLocation location;
};

/// What an `include:` entry resolves to: the drivers of one manifest file, or diagnostics.
struct IncludeResult {
  std::vector<sim::Driver> drivers;
  std::vector<sim::Diagnostic> diagnostics;
  /// Facts about how the file was read that are not errors: code "kind-evidence" notes on
  /// services whose kind the evidence left open or that were left out (a file system, a driver
  /// that is not a filter; docs/model.md#kind-evidence). `check` reports them as notes.
  std::vector<sim::Diagnostic> notes = {};
};
/// Resolves `include:` paths (relative to the including file). nullptr = includes not allowed.
using IncludeLoader =
    std::function<IncludeResult(const std::string &path, const sim::SourceLocation &where)>;

struct ScenarioLoad {
  std::optional<sim::Scenario> scenario; ///< set when there are no diagnostics
  std::optional<Expectation> expect;
  std::vector<sim::Diagnostic> diagnostics;
  /// `baseline:` ids as written (docs/scenario-format.md, "Baselines"); their drivers are already
  /// in `scenario`. `without_baselines` is the scenario as written, for `--baseline` to replace
  /// them (set only when `baselines` is not empty).
  std::vector<std::string> baselines;
  std::optional<sim::Scenario> without_baselines;
  /// Notes of included files (IncludeResult::notes), in include order.
  std::vector<sim::Diagnostic> notes = {};
};

/// What a `baseline:` list resolves to: the scenario with the baselines' drivers put under its
/// own, or why it cannot be (unknown id, two builds). The baselines module supplies the resolver
/// (baselines::scenario_baseline_resolver()); the scenario reader does not know the baselines.
struct BaselineResolution {
  std::optional<sim::Scenario> scenario;
  std::string error;
};
using BaselineResolver = std::function<BaselineResolution(const std::vector<std::string> &ids,
                                                          const sim::Scenario &own)>;

/// Input limits (docs/reliability.md, "Limits"): larger inputs are rejected with a diagnostic, not
/// processed.
struct Limits {
  std::size_t max_drivers = 200000;
  std::size_t max_instances_per_driver = 1024;
  std::size_t max_total_instances = 1000000;
  std::size_t max_events = 1000000;
  std::size_t max_nesting = 64;
  /// YAML entries (list items, keys, values), estimated before parsing: yaml-cpp holds about
  /// 0.5 KB per entry, so this bounds its memory near 2 GB. 200000 drivers fit when written
  /// compactly ("- {name: x, start: boot, altitude: 1}"); about 120000 with three instances each.
  std::size_t max_yaml_entries = 4000000;
  /// Collection entries the reader may visit, as a multiple of the document's size in bytes.
  /// Without aliases a document cannot exceed 1; `*alias` repeats anchored content for free, so
  /// a "billion laughs" document is refused here instead of taking hours.
  std::size_t max_expansion_per_byte = 2;
  /// The reader stops after this many diagnostics (the last one says so).
  std::size_t max_diagnostics = 1000;
};

/// Parses a scenario document. `source_name` is used in diagnostics.
[[nodiscard]] ScenarioLoad parse_scenario_yaml(std::string_view text,
                                               const std::string &source_name,
                                               const IncludeLoader &include = nullptr,
                                               const Limits &limits = {},
                                               const BaselineResolver &baseline = nullptr);

/// Parses a per-driver manifest (one driver mapping, the keys of a `drivers:` entry).
[[nodiscard]] IncludeResult parse_driver_yaml(std::string_view text, const std::string &source_name,
                                              const Limits &limits = {});

/// Writes a scenario back as YAML that parse_scenario_yaml reads to an equal Scenario.
/// `comment` (may be empty) becomes leading '#' lines.
[[nodiscard]] std::string write_scenario_yaml(const sim::Scenario &scenario,
                                              const std::string &comment = {});

} // namespace fltsim::manifest
