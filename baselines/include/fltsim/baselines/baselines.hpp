#pragma once
// Windows baselines (docs/baselines.md): the inbox file-system filters of a Windows build or a
// server role, as data. The files of data/baselines/ are compiled into the binary and read by the
// scenario YAML reader (scenario_yaml.cpp reads their `drivers:` entries with the scenario rules),
// so a baseline's drivers are exactly what a scenario's `drivers:` would hold.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::baselines {

enum class BaselineKind { build, overlay };
enum class Completeness { partial, complete };
[[nodiscard]] const char *to_string(BaselineKind k); ///< "baseline", "overlay"
[[nodiscard]] const char *to_string(Completeness c); ///< "partial", "complete"

/// One source a baseline's values rest on (a public capture, a Microsoft page, ...).
struct BaselineSource {
  std::string id;
  std::string what;
  std::string citation; ///< `url_or_citation`
  std::string os_build;
};

/// A place where Windows itself disagrees with the allocated-altitude list or the group ranges
/// (data/baselines/README.md, "Inbox exceptions"); `fltsim check` does not report `rule` for the
/// inbox filter when it has `windows_value`.
struct BaselineInboxException {
  std::string filter;
  std::string field; ///< "altitude", "group" or "name"
  std::string windows_value;
  std::string list_value;
  std::string rule; ///< a rule id of docs/rules.md, or "not-allocated" (no rule checks it yet)
  std::vector<std::string> sources;
  std::string note;
  sim::SourceLocation location;
};

/// Where one driver's values come from (`provenance:`).
struct DriverProvenance {
  std::string driver;
  std::vector<std::string> sources;
  std::vector<std::string> unknown;        ///< fields no public source gives
  std::vector<std::string> assumed_fields; ///< fields whose value is a placeholder
};

struct Baseline {
  std::string id; ///< the file name without .yaml
  std::string title;
  BaselineKind kind = BaselineKind::build;
  std::vector<std::string> builds;     ///< build numbers this file stands for
  std::vector<std::string> overlay_of; ///< overlays: the baselines it is meant for (`applies_to`)
  std::optional<std::string> derived_from;
  Completeness completeness = Completeness::partial;
  std::vector<std::string> completeness_notes;
  std::vector<BaselineSource> sources;
  std::vector<sim::Driver> drivers; ///< located in data/baselines/<id>.yaml
  std::vector<DriverProvenance> provenance;
  std::vector<BaselineInboxException> inbox_exceptions;

  [[nodiscard]] const BaselineSource *find_source(std::string_view id) const;
};

struct BaselineLoad {
  std::optional<Baseline> baseline; ///< set when there are no diagnostics
  std::vector<sim::Diagnostic> diagnostics;
};

/// Parses one baseline file (data/baselines/README.md, "File format"). `id` is the expected
/// `baseline:` value (the file name); `source_name` is used in diagnostics. Besides the shape, it
/// checks that every source id used is defined, every driver has provenance, a `complete` file
/// assumes nothing, and each inbox exception names a driver of the file and a known rule.
[[nodiscard]] BaselineLoad parse_baseline_yaml(std::string_view text, const std::string &id,
                                               const std::string &source_name);

/// The baselines compiled into the binary, in id order. A bundled file that does not parse is a
/// build defect: it is left out here and reported by builtin_baseline_errors() (a unit test
/// asserts there are none).
[[nodiscard]] std::span<const Baseline> builtin_baselines();
[[nodiscard]] const std::vector<sim::Diagnostic> &builtin_baseline_errors();

/// The compiled-in text of a bundled baseline file, or empty.
[[nodiscard]] std::string_view builtin_baseline_text(std::string_view id);

/// A bundled baseline by id (case-insensitive; `windows-11-22h2` and `windows-11-23h2` name
/// `windows-11-22h2-23h2`), or nullptr.
[[nodiscard]] const Baseline *find_baseline(std::string_view id);

/// "id1, id2, ..." of every bundled baseline, for diagnostics.
[[nodiscard]] std::string baseline_ids_text();

/// `own` with the drivers of `parts` added first, in order (docs/scenario-format.md, "Baselines"):
/// a later part's driver replaces an earlier one of the same name (case-insensitive), and a
/// driver of `own` replaces a baseline driver of its name in place; `own`'s other drivers follow
/// in their order. Everything else of `own` (title, groups, events, volumes) is kept.
[[nodiscard]] sim::Scenario with_baselines(const sim::Scenario &own,
                                           std::span<const Baseline *const> parts);

/// A set of baselines one run uses: at most one build, any overlays. Empty `error` = valid.
struct BaselineSet {
  std::vector<const Baseline *> parts;
  std::string error;
  [[nodiscard]] std::string label() const; ///< "windows-server-2025+role-dfs"
};

/// Resolves ids for one machine (a scenario's `baseline:` list): unknown ids and a second build
/// are errors.
[[nodiscard]] BaselineSet resolve_baseline_set(const std::vector<std::string> &ids);

/// Resolves `--baseline` options: each build id is one run, and the overlays given apply to every
/// run (only overlays: one run of just them). Unknown ids are errors (`error` set, no runs).
struct BaselineRuns {
  std::vector<BaselineSet> runs;
  std::string error;
};
[[nodiscard]] BaselineRuns resolve_baseline_runs(const std::vector<std::string> &ids);

/// The resolver the scenario reader calls for a scenario's `baseline:` list
/// (manifest::parse_scenario_yaml): resolve_baseline_set, then with_baselines.
[[nodiscard]] manifest::BaselineResolver scenario_baseline_resolver();

} // namespace fltsim::baselines
