#pragma once
// The registry half of `fltsim snapshot` (docs/windows.md, "fltsim snapshot"; the folder it
// writes: fltsim/inputs/snapshot.hpp): the current control set's Services (with Instances),
// Control\ServiceGroupOrder, Control\GroupOrderList, Control\Session Manager\I/O System and
// Policies (the Dev Drive attach policy), plus Select, and the Windows build
// (SOFTWARE\Microsoft\Windows NT\CurrentVersion).
// Where the data comes from is a LiveSource: this_machine() on Windows reads the registry with
// RegOpenKeyExW/RegEnumKeyExW/RegEnumValueW (no administrator rights needed); tests pass a fake.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/machine/machine_import.hpp"

namespace fltsim::machine {

/// What a live machine can tell. Every method says, in `unread`, what it could not read and why;
/// that never stops the others.
class LiveSource {
public:
  virtual ~LiveSource() = default;
  /// HKLM\SYSTEM\Select and the listed subtrees of the current control set, paths relative to
  /// HKLM\SYSTEM (as .reg exports and hives give them).
  [[nodiscard]] virtual RegistrySnapshot system_registry(std::vector<std::string> &unread) = 0;
  /// "26100" (CurrentBuild), or nullopt.
  [[nodiscard]] virtual std::optional<std::string>
  windows_build(std::vector<std::string> &unread) = 0;
};

/// `snapshot` as a .reg export of HKLM\SYSTEM as regedit writes one (UTF-8 here; CRLF line ends):
/// "Windows Registry Editor Version 5.00", one [<root>\<path>] section per key in the snapshot's
/// order, REG_SZ as "text", REG_DWORD as dword:%08x, every other type as hex(N): bytes
/// (REG_BINARY hex:), string data in hex as UTF-16LE. read_reg_export reads it back equal.
[[nodiscard]] std::string write_reg_export(const RegistrySnapshot &snapshot,
                                           std::string_view root = "HKEY_LOCAL_MACHINE\\SYSTEM");

/// The subtrees of the current control set a snapshot reads (relative to ControlSetNNN).
[[nodiscard]] const std::vector<std::string> &snapshot_subtrees();

/// The machine this process runs on (Windows); elsewhere a source that reads nothing and says why.
[[nodiscard]] std::unique_ptr<LiveSource> this_machine();

} // namespace fltsim::machine
