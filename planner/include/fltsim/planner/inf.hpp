#pragma once
// Minifilter INF text for a planned dummy (docs/planner.md, "Outputs"). Pure text generation: the
// CLI writes the file. The layout follows the WDK nullFilter sample's INF (current and "downlevel"
// install paths, Parameters\Instances and Instances keys), with the planner's LoadOrderGroup,
// StartType, default-instance altitude and flags filled in.
#include <string>

#include "fltsim/planner/planner.hpp"

namespace fltsim::planner {

struct InfOptions {
  std::string provider = "TODO-Set-Provider";
  std::string driver_ver = "01/01/2025,1.0.0.0"; ///< DriverVer (the planner has no clock)
  std::string scenario_title;                    ///< named in the header comment, may be empty
};

/// The Class/ClassGuid pair Microsoft documents for a load order group ("File System Filter
/// Driver Classes and Class GUIDs"). Filter, FSFilter Top and FSFilter Bottom have no setup
/// class; for them (and unknown groups) this returns nullptr.
struct SetupClass {
  const char *name;
  const char *guid;
};
[[nodiscard]] const SetupClass *setup_class_for_group(const std::string &group);

/// The INF for one dummy. Every line ends in CRLF, as INF files usually do.
[[nodiscard]] std::string render_dummy_inf(const DummyFilter &dummy,
                                           const InfOptions &options = {});

/// A file name for the dummy's INF: the service name lower-cased plus ".inf".
[[nodiscard]] std::string dummy_inf_file_name(const DummyFilter &dummy);

} // namespace fltsim::planner
