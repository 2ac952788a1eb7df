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
  std::string source_kind;               ///< which listing was used
};

/// Builds a scenario from the first complete `!fltkd.frames` or `fltmc filters` listing
/// (plus a complete `fltmc instances` listing for volumes, if present).
[[nodiscard]] ImportResult import_observed(const ObservedStack &observed,
                                           const std::string &source_name);

struct Difference {
  std::string kind;   ///< "missing", "extra", "kind", "altitude", "frame", "instances",
                      ///< "frame-count", "frame-range", "legacy-order"
  std::string filter; ///< filter concerned ("" for frame-level differences)
  std::string predicted;
  std::string observed;
  std::string message; ///< one sentence
  int line = 0;        ///< line in the observed text, when known
};

struct Comparison {
  bool match = false;
  std::vector<Difference> differences;
  std::string observed_kind;           ///< which listing was compared
  std::vector<sim::Diagnostic> errors; ///< the observation cannot be compared (truncated, none)
};

/// Compares a simulation with an observation: frame assignment, frame ranges (fltkd), legacy
/// filters and their order (fltmc), instance counts, filters present on one side only.
[[nodiscard]] Comparison compare_observed(const sim::Scenario &scenario,
                                          const sim::SimResult &result,
                                          const ObservedStack &observed,
                                          const std::string &source_name);

} // namespace fltsim::manifest
