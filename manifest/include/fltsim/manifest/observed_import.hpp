#pragma once
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
#include <string>
#include <vector>

#include "fltsim/manifest/observed.hpp"
#include "fltsim/sim/engine.hpp"

namespace fltsim::manifest {

struct ImportResult {
  std::optional<sim::Scenario> scenario; ///< nullopt when the input cannot be imported
  std::vector<sim::Diagnostic> errors;   ///< why not (e.g. truncated listing, no listing)
  std::vector<std::string> assumptions;  ///< one line per guess (start types, groups, volumes)
  bool reproduces = false;               ///< the scenario re-simulates to the observed frames
  std::vector<std::string> mismatches;   ///< where no load order tried reproduces the observation
  ObservedKind source_kind = ObservedKind::fltmc_filters; ///< which listing was used
};

/// Builds a scenario from the first complete `!fltkd.frames` or `fltmc filters` listing
/// (plus a complete `fltmc instances` listing for volumes, if present).
[[nodiscard]] ImportResult import_observed(const ObservedStack &observed,
                                           const std::string &source_name);

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
  bool match = false;
  std::vector<Difference> differences;
  ObservedKind observed_kind = ObservedKind::fltmc_filters; ///< which listing was compared
  std::vector<sim::Diagnostic> errors; ///< the observation cannot be compared (truncated, none)
};

/// Compares a simulation with an observation: frame assignment, frame ranges (fltkd), legacy
/// filters and their order (fltmc), instance counts, filters present on one side only.
[[nodiscard]] Comparison compare_observed(const sim::Scenario &scenario,
                                          const sim::SimResult &result,
                                          const ObservedStack &observed,
                                          const std::string &source_name);

} // namespace fltsim::manifest
