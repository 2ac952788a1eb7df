#pragma once
// `fltsim snapshot`: the machine fltsim runs on, read live, as a machine folder (docs/windows.md,
// "fltsim snapshot") that `import`, `diagnose`, `fleet` and the viewer read like any other:
//   system.reg   the registry half (machine::LiveSource): the current control set's services with
//                their instances, the group orders and attach policies, as a regedit export
//                (UTF-16LE with a byte-order mark, CRLF);
//   fltmc.txt    the Filter Manager half (observed::FilterManagerSource): `fltmc filters`,
//                `fltmc instances` and `fltmc volumes` as fltmc prints them now;
//   events.txt   FilterManager event 6 of the System log, as `wevtutil qe /f:text` prints it;
//   build.txt    the Windows build;
//   snapshot.txt what could not be read and why (access denied, not on Windows, ...).
// A part that could not be read is left out and named in snapshot.txt; it never stops the others.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fltsim/machine/snapshot.hpp"
#include "fltsim/observed/live.hpp"

namespace fltsim::inputs {

struct SnapshotResult {
  std::vector<std::filesystem::path> written; ///< the files of the machine folder
  std::vector<std::string> unread;            ///< what could not be read, and why
  std::optional<std::string> error;           ///< the folder could not be written
  bool registry = false;                      ///< system.reg was written (the import needs it)
};

/// Reads both sources and writes the machine folder `folder` (created if absent; snapshot files
/// already there are replaced, nothing else is touched).
[[nodiscard]] SnapshotResult write_snapshot(machine::LiveSource &registry,
                                            observed::FilterManagerSource &filter_manager,
                                            const std::filesystem::path &folder);

} // namespace fltsim::inputs
