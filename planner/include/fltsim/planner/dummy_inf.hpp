#pragma once
// A planned dummy as something to install (docs/planner.md, "Outputs"): the minifilter driver it
// is and what its INF's header comment says. The planner produces this data; the INF text is
// manifest's INF writer's job (fltsim/manifest/inf_writer.hpp), called by the front ends:
//   manifest::InfWriteOptions o;  o.header = t.header;  o.description = t.description;
//   manifest::render_minifilter_inf(planner::dummy_driver(d), o)
#include <string>
#include <vector>

#include "fltsim/planner/planner.hpp"

namespace fltsim::planner {

/// The dummy as a driver: a minifilter depending on FltMgr with one default instance at the
/// dummy's altitude and flags (what apply_dummies() adds to the scenario).
[[nodiscard]] sim::Driver dummy_driver(const DummyFilter &dummy);

struct DummyInfText {
  /// Header comment lines (no ";;; " prefix, "" = blank): what the dummy is, why this group,
  /// start type and altitude, the production-altitude warning and, for a same-group dummy, the
  /// Tag and GroupOrderList to set after installing.
  std::vector<std::string> header;
  std::string description; ///< ServiceDescription
};
[[nodiscard]] DummyInfText dummy_inf_text(const DummyFilter &dummy,
                                          const std::string &scenario_title = {});

} // namespace fltsim::planner
