#pragma once
// fltsim observed facade: what a machine was seen to run, and what fltsim makes of it
// (docs/import.md). parse_observed() (observed.hpp) reads `fltmc filters` / `fltmc instances` /
// `!fltkd` text in every pasted form and NtObjectManager exports; parse_filter_events()
// (events_reader.hpp) reads FilterManager event 6 logs; read_capture() (capture_policy.hpp) is
// the one policy every command reads a capture under; the writers write_fltmc_filters() and
// friends (observed.hpp) print a simulated stack the way Windows does.
//
// Example (compiled and run by tests/observed/facade_example_test.cpp):
//
//   observed::ObservedStack seen = observed::parse_observed(
//       "Filter Name                     Num Instances    Altitude    Frame\n"
//       "------------------------------  -------------  ------------  -----\n"
//       "WdFilter                                5       328010         0\n"
//       "FileInfo                                5       40500          0\n", "paste.txt");
//   observed::ImportResult imp = observed::import_observed(seen, "paste.txt");
//   // imp.scenario: FileInfo (FSFilter Bottom) and WdFilter (FSFilter Anti-Virus), in load
//   // order, both minifilters in Frame 0; imp.reproduces; imp.assumptions lists the guessed
//   // start types.
//   sim::SimResult r = sim::simulate(*imp.scenario);
//   observed::Comparison c = observed::compare_observed(*imp.scenario, r, seen, "paste.txt");
//   // c.match: the prediction is what was seen.
//
// From an observed stack (fltmc / !fltkd text) to a scenario, and back.
//
// import_observed() builds a scenario skeleton that re-simulates to the observed frames where some
// load order can: legacy rows become legacy filters with the group whose fltmgr altitude matches
// (docs/model.md#legacy-altitudes), minifilters get the documented group whose range holds their
// altitude (docs/model.md#groups), every driver starts as BOOT, and minifilters that land in the
// wrong frame are moved to later start phases until the frames match (all start types are
// assumptions and are listed as such).
// compare_observed() lists every difference between a prediction and an observation.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/observed/observed.hpp"
#include "fltsim/sim/engine.hpp"

namespace fltsim::observed {

/// "Microsoft, FSFilter Anti-Virus" for "WdFilter": the company and group the allocated-altitude
/// list (data/allocated-altitudes.csv) gives the driver, or "" if it is not listed. With the
/// altitude it was seen at: the list's row at that altitude, and when none is, the first row
/// with "(the list allocates WdFilter 328010, not 123456)".
[[nodiscard]] std::string filter_owner(std::string_view name,
                                       const std::optional<sim::Altitude> &altitude = {});
/// "WdFilter — Microsoft, FSFilter Anti-Virus", or the bare name if it is not listed.
[[nodiscard]] std::string describe_filter(std::string_view name,
                                          const std::optional<sim::Altitude> &altitude = {});

/// Filters (legacy and minifilters) one listing may give an import: Windows machines show tens;
/// more is refused with `error[limit]` rather than simulated (docs/reliability.md#limits).
inline constexpr std::size_t max_import_filters = 2048;

/// One imported filter as the text output lists it.
struct ImportedFilter {
  std::string name;
  std::string owner; ///< filter_owner(name, altitude)
  bool legacy = false;
  std::optional<int> frame;
  std::optional<sim::Altitude> altitude;
};

struct ImportOptions {
  /// Observed registration order (FilterManager event 6, events_reader.hpp), oldest first;
  /// empty = guess it from the listing.
  std::vector<std::string> load_order;
  std::string events_source; ///< where load_order came from, for the assumptions
};

struct ImportResult {
  std::optional<sim::Scenario> scenario; ///< nullopt when the input cannot be imported
  std::vector<sim::Diagnostic> errors;   ///< why not (e.g. truncated listing, no listing)
  std::vector<std::string> assumptions;  ///< one line per guess (start types, groups, volumes)
  bool reproduces = false;               ///< the scenario re-simulates to the observed frames
  std::vector<std::string> mismatches;   ///< where no load order tried reproduces the observation
  /// Where the imported scenario's registration order differs from ImportOptions::load_order.
  std::vector<std::string> order_mismatches;
  std::vector<ImportedFilter> filters;                    ///< in the listing's order
  ObservedKind source_kind = ObservedKind::fltmc_filters; ///< which listing was used
};

/// Incomplete listings that import and compare leave out because a complete listing beside them
/// is the one used (pick order below): a warning `observed-partial` each, naming the listing
/// used, so that no row of a capture goes unreported (the capture policy adds them,
/// capture_policy.hpp). Empty when no listing is usable (import and compare then say why).
[[nodiscard]] std::vector<sim::Diagnostic> unused_partial_listings(const ObservedStack &observed,
                                                                   const std::string &source_name);

/// Builds a scenario from the first complete listing that shows frames, in this order of
/// preference: `!fltkd.frames`, `fltmc filters`, Get-FilterDriver, `!fltkd.filters` with
/// "Frame N" lists, `fltmc instances` (its Frame column; filters without instances are not in it).
[[nodiscard]] ImportResult import_observed(const ObservedStack &observed,
                                           const std::string &source_name,
                                           const ImportOptions &options = {});

/// What a Difference is about. to_string() gives the name `fltsim compare --format json` writes.
enum class DifferenceKind : std::uint8_t {
  not_predicted, ///< "not-predicted": observed, but not in the prediction
  not_observed,  ///< "not-observed": predicted, but not in the observation
  kind,          ///< "kind": legacy on one side, minifilter on the other
  altitude,      ///< "altitude"
  frame,         ///< "frame": another frame
  instances,     ///< "instances": another instance count
  frame_count,   ///< "frame-count"
  frame_range,   ///< "frame-range" (!fltkd.frames)
  order,         ///< "order": legacy filters in another order, or registration order (events)
};
[[nodiscard]] const char *to_string(DifferenceKind k);

struct Difference {
  DifferenceKind kind = DifferenceKind::frame;
  std::string filter; ///< filter concerned ("" for frame-level differences)
  std::string predicted;
  std::string observed;
  std::string message; ///< one sentence
  int line = 0;        ///< line in the observed text, when known
};

struct Comparison {
  bool match = false; ///< no stack difference (notes do not count)
  /// Stack differences: frame, order, altitude, kind, presence, frame count and ranges.
  std::vector<Difference> differences;
  /// Instance counts that differ while the scenario does not model volumes (no `volumes:`):
  /// reported, but not a stack difference.
  std::vector<Difference> notes;
  ObservedKind observed_kind = ObservedKind::fltmc_filters; ///< which listing was compared
  std::vector<sim::Diagnostic> errors; ///< the observation cannot be compared (truncated, none)
};

struct CompareOptions {
  std::vector<std::string> load_order; ///< observed registration order (events), oldest first
  std::string events_source;
};

/// Compares a simulation with an observation: frame assignment, frame ranges (fltkd), legacy
/// filters and their order (fltmc), filters present on one side only, the registration order
/// when events are given; instance counts (differences when the scenario models volumes, notes
/// otherwise).
[[nodiscard]] Comparison compare_observed(const sim::Scenario &scenario,
                                          const sim::SimResult &result,
                                          const ObservedStack &observed,
                                          const std::string &source_name,
                                          const CompareOptions &options = {});

} // namespace fltsim::observed
