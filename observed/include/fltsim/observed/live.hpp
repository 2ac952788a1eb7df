#pragma once
// What Filter Manager says of the machine fltsim runs on, and FilterManager event 6 from its
// System log: the live half of `fltsim snapshot` (docs/windows.md, "fltsim snapshot"). The
// registry half is machine::LiveSource (fltsim/machine/snapshot.hpp).
//
// A FilterManagerSource is read on Windows through fltlib (FilterFindFirst/FilterFindNext with
// FilterAggregateStandardInformation, FilterInstanceFindFirst/Next with
// InstanceAggregateStandardInformation, FilterVolumeFindFirst/Next and FilterGetDosName) and
// wevtapi (EvtQuery on the System log, EvtFormatMessage); both DLLs are loaded when asked, so a
// machine without them (wine) still gets the registry. Elsewhere it reads nothing and says why;
// tests pass a recorded fake. The writers print what was read in the forms the capture and event
// readers already read (`fltmc filters`, `fltmc instances`, `wevtutil qe /f:text`), so a snapshot
// goes through the same door as a pasted capture and nothing here is a new format.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fltsim/observed/observed.hpp"

namespace fltsim::observed {

/// A filter as FilterFindNext gives it (FILTER_AGGREGATE_STANDARD_INFORMATION).
struct LiveFilter {
  std::string name;
  bool legacy = false;  ///< FLTFL_ASI_IS_LEGACYFILTER: no frame, no instances
  std::string altitude; ///< as registered ("" for a legacy filter)
  int frame = 0;        ///< FrameID
  int instances = 0;    ///< NumberOfInstances
};

/// An instance as FilterInstanceFindNext gives it (INSTANCE_AGGREGATE_STANDARD_INFORMATION).
struct LiveInstance {
  std::string filter;
  std::string volume; ///< the DOS name ("C:") when FilterGetDosName has one, else the device name
  bool legacy = false;
  std::string altitude;
  std::string instance; ///< instance name
  int frame = 0;
  unsigned supported_features = 0; ///< SupportedFeatures (fltmc's SprtFtrs column)
};

/// A volume as FilterVolumeFindNext gives it (FILTER_VOLUME_STANDARD_INFORMATION).
struct LiveVolume {
  std::string dos_name;    ///< "C:" from FilterGetDosName; "" when it has none (\Device\Mup)
  std::string volume;      ///< "\Device\HarddiskVolume3"
  std::string file_system; ///< as fltmc names FLT_FILESYSTEM_TYPE: "NTFS", "ReFS", "Remote", ...
};

/// One FilterManager event 6 record of the System log.
struct LiveLoadEvent {
  std::string time;    ///< ISO 8601 (SystemTime), UTC, e.g. "2024-04-30T08:00:01.000"
  std::string message; ///< "File System Filter 'X' (...) has successfully loaded and registered..."
};

/// What Filter Manager can tell. Every method says, in `unread`, what it could not read and why;
/// that never stops the others.
class FilterManagerSource {
public:
  virtual ~FilterManagerSource() = default;
  /// Every filter Filter Manager lists now, minifilters and legacy filters, in its order.
  [[nodiscard]] virtual std::vector<LiveFilter> filters(std::vector<std::string> &unread) = 0;
  /// Every instance of every filter on every volume, in Filter Manager's order.
  [[nodiscard]] virtual std::vector<LiveInstance> instances(std::vector<std::string> &unread) = 0;
  /// Every volume Filter Manager knows, in its order.
  [[nodiscard]] virtual std::vector<LiveVolume> volumes(std::vector<std::string> &unread) = 0;
  /// FilterManager event 6 of the System log, oldest first.
  [[nodiscard]] virtual std::vector<LiveLoadEvent>
  load_events(std::vector<std::string> &unread) = 0;
};

/// The machine this process runs on (Windows); elsewhere a source that reads nothing and says why.
[[nodiscard]] std::unique_ptr<FilterManagerSource> this_machine_filter_manager();

/// `fltmc filters` of what Filter Manager listed, in its order: fltmc is a client of the same
/// enumeration and prints it as it comes (format_fltmc_filters).
[[nodiscard]] std::string write_live_filters(const std::vector<LiveFilter> &filters);
/// `fltmc instances` of what Filter Manager listed, in its order (format_fltmc_instances).
[[nodiscard]] std::string write_live_instances(const std::vector<LiveInstance> &instances);
/// `fltmc filters`, `fltmc instances` and `fltmc volumes` one after the other, each after its
/// console prompt, as a support engineer pastes several listings (parse_observed reads them as
/// one capture). A part with nothing read is left out.
[[nodiscard]] std::string write_live_fltmc(const std::vector<LiveFilter> &filters,
                                           const std::vector<LiveInstance> &instances,
                                           const std::vector<LiveVolume> &volumes);
/// The events as `wevtutil qe System /f:text` prints them (parse_filter_events reads it).
[[nodiscard]] std::string write_live_events(const std::vector<LiveLoadEvent> &events);

} // namespace fltsim::observed
