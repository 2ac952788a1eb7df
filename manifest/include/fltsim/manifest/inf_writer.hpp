#pragma once
// The INF writer, beside the INF reader (inf_reader.hpp): the install INF of one minifilter, in
// the layout of the WDK nullFilter sample (tests/corpus/inf/wds-nullFilter.inf): a current install
// path (driver store, Parameters\Instances) and a downlevel one (system32\drivers, Instances), the
// same values in both. Pure text generation; write the file with write_file_atomic (files.hpp).
// What it writes reads back through read_inf() to the same driver (tests/manifest).
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/sim/scenario.hpp"

namespace fltsim::manifest {

struct InfWriteOptions {
  std::string provider = "TODO-Set-Provider";
  std::string driver_ver = "01/01/2025,1.0.0.0"; ///< DriverVer (the writer has no clock)
  /// The header comment, one entry per line without the ";;; " prefix ("" = a bare ";;;").
  /// Control characters become '?', so no entry can end the comment and inject INF lines.
  std::vector<std::string> header;
  std::string description; ///< ServiceDescription; empty = "<name> minifilter"
};

/// The Class/ClassGuid pair Microsoft documents for a load order group ("File System Filter
/// Driver Classes and Class GUIDs"). Filter, FSFilter Top and FSFilter Bottom have no setup
/// class; for them (and unknown groups) this returns nullptr.
struct SetupClass {
  const char *name;
  const char *guid;
};
[[nodiscard]] const SetupClass *setup_class_for_group(std::string_view group);

/// The INF installing `driver`, a minifilter (DriverKind::minifilter) with a default instance
/// (sim::Driver::find_default_instance() not null): its LoadOrderGroup, StartType,
/// DependOnService FltMgr and the default instance's name, altitude and flags. Every line ends in
/// CRLF, as INF files usually do.
[[nodiscard]] std::string render_minifilter_inf(const sim::Driver &driver,
                                                const InfWriteOptions &options = {});

/// A file name for a service's INF: the name lower-cased (characters other than letters, digits,
/// '_' and '-' become '_') plus ".inf".
[[nodiscard]] std::string inf_file_name(std::string_view service);

} // namespace fltsim::manifest
