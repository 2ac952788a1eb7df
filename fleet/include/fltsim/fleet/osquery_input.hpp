#pragma once
// osquery result logs (docs/fleet.md#osquery): JSON lines as osqueryd's filesystem logger writes
// them, {"name": ..., "hostIdentifier": ..., "action": "added"|"removed", "columns": {...}} or
// {"action": "snapshot", "snapshot": [{...}, ...]}, from queries over the `registry` table
// (columns key, path, name, type, data, mtime; REG_DWORD data in decimal, REG_MULTI_SZ joined
// with ',', REG_BINARY in upper-case hex, as osquery/tables/system/windows/registry.cpp prints
// them). Rows are grouped per host: a snapshot replaces what the same query reported for the host
// before, "removed" rows remove, "added" rows add. A host's rows must be in one file (osqueryd
// writes one log per host); memory is bounded by the largest file, not by the fleet.
#include <filesystem>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "fltsim/fleet/fleet_input.hpp"
#include "fltsim/machine/machine_import.hpp"

namespace fltsim::fleet {

/// A source yielding one RawMachine (kind registry_rows) per host of an osquery result log, in
/// the order hosts first appear. Lines that are not osquery results are reported with file:line
/// (a RawMachine of kind error) and skipped.
[[nodiscard]] std::unique_ptr<MachineSource> open_osquery_source(const std::filesystem::path &path);
/// The same over a stream read once (a FIFO or pipe); `read` holds its lines already read.
[[nodiscard]] std::unique_ptr<MachineSource>
open_osquery_stream(const std::string &name, std::istream &in, std::vector<std::string> read);

/// The rows of HKEY_LOCAL_MACHINE\SYSTEM as a typed RegistrySnapshot (machine_import.hpp), the
/// seam every registry source fills. Values osquery printed that do not parse as their type are
/// warnings (file:line of the log).
[[nodiscard]] machine::RegistryRead
registry_snapshot_from_rows(const std::vector<RegistryRow> &rows, const sim::SourceLocation &where);

/// A machine from its registry rows, through import_machine(): Services\<svc> keys (Start, Type,
/// Group, Tag, DependOnService, Instances\DefaultInstance, Instances\<inst>\Altitude and Flags),
/// Control\ServiceGroupOrder\List, Control\GroupOrderList, and the Windows build from
/// SOFTWARE\Microsoft\Windows NT\CurrentVersion\CurrentBuild.
[[nodiscard]] MachineRecord machine_from_registry_rows(const std::string &host,
                                                       const std::vector<RegistryRow> &rows,
                                                       const sim::SourceLocation &where);

} // namespace fltsim::fleet
