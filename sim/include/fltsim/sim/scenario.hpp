#pragma once
// The engine's input: a Scenario of drivers (as their service keys describe them) plus runtime
// events. Readers (YAML, INF, .reg) build it; the engine never does IO.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fltsim/sim/altitude.hpp"

namespace fltsim::sim {

/// Where something was written, for diagnostics and `check` findings. Empty file = unknown.
struct SourceLocation {
  std::string file;
  int line = 0;   ///< 1-based; 0 = unknown
  int column = 0; ///< 1-based; 0 = unknown
};

/// Service Start value (rules L1). The numeric values are the registry values.
enum class StartType : std::uint8_t {
  boot = 0,
  system = 1,
  automatic = 2,
  demand = 3,
  disabled = 4
};

/// How a driver hooks the file system stack. `both` registers as a legacy filter first, then calls
/// FltRegisterFilter (docs/model.md#kind-both).
enum class DriverKind : std::uint8_t { minifilter, legacy, both };

[[nodiscard]] const char *to_string(StartType s);  ///< "boot", "system", "auto", ...
[[nodiscard]] const char *to_string(DriverKind k); ///< "minifilter", "legacy", "both"
[[nodiscard]] std::optional<StartType> parse_start_type(const std::string &text); ///< names or 0-4
[[nodiscard]] std::optional<DriverKind> parse_driver_kind(const std::string &text);

/// What kind of volume an instance would attach to (docs/model.md#volume-classes). The class
/// decides which attach policies apply (docs/model.md#volume-policies).
enum class VolumeClass : std::uint8_t {
  ntfs,       ///< "ntfs": a fixed NTFS volume (the default)
  refs,       ///< "refs": a fixed ReFS volume
  removable,  ///< "removable": removable media
  network,    ///< "network": the network redirector, \Device\Mup
  named_pipe, ///< "named-pipe": NPFS, \Device\NamedPipe
  mailslot,   ///< "mailslot": MSFS, \Device\Mailslot
  dev_drive,  ///< "dev-drive": a Dev Drive (ReFS, trusted by default)
  dax,        ///< "dax": a direct access (persistent memory) volume
};
[[nodiscard]] const char *to_string(VolumeClass c); ///< "ntfs", "named-pipe", "dev-drive", ...
[[nodiscard]] std::optional<VolumeClass> parse_volume_class(const std::string &text);
/// Every class, in declaration order (for help texts and UI lists).
[[nodiscard]] const std::vector<VolumeClass> &all_volume_classes();

/// A volume's class and, for Dev Drives, its own settings.
struct VolumeSpec {
  VolumeClass volume_class = VolumeClass::ntfs;
  /// Dev Drive only: `fsutil devdrv trust`. An untrusted Dev Drive gets no special attach policy
  /// (docs/model.md#dev-drive).
  bool trusted = true;
  /// Dev Drive only: filters allowed on this volume (`fsutil devdrv setFiltersAllowed /volume`).
  std::vector<std::string> allowed_filters;
  SourceLocation location;
};

/// Machine-wide attach policies (docs/model.md#volume-policies).
struct MachinePolicy {
  /// IoBlockLegacyFsFilters = 1: legacy filters neither load nor attach
  /// (docs/model.md#block-legacy).
  bool block_legacy_filters = false;
  /// Antivirus filters (FSFilter Anti-Virus, 320000-329999) attach to Dev Drives:
  /// `fsutil devdrv enable /allowAv` (the default) or `/disallowAv` (docs/model.md#dev-drive).
  bool dev_drive_allow_antivirus = true;
  /// Filters allowed on every Dev Drive: `fsutil devdrv setFiltersAllowed` and the group policy
  /// FltmgrDevDriveAttachPolicy, together (docs/model.md#dev-drive).
  std::vector<std::string> dev_drive_allowed_filters;
  SourceLocation location; ///< where the policies were declared
};

/// Instances\<name>: Altitude and Flags (A3-A5).
struct Instance {
  std::string name;
  Altitude altitude;
  std::uint32_t flags = 0;         ///< 0x1 = no automatic attach, 0x2 = no manual attach
  std::vector<std::string> attach; ///< explicit volumes; empty = every volume (unless flags&1)
  SourceLocation location;
};

struct Driver {
  std::string name; ///< service name, unique case-insensitively
  DriverKind kind = DriverKind::minifilter;
  std::optional<std::string> group; ///< LoadOrderGroup / Group; nullopt = none
  StartType start = StartType::demand;
  std::optional<std::uint32_t> tag;            ///< Tag value
  std::vector<std::string> depends_on;         ///< DependOnService
  std::vector<Instance> instances;             ///< minifilter instances (empty for pure legacy)
  std::optional<std::string> default_instance; ///< name of the default instance (A5)
  SourceLocation location;                     ///< where the driver was declared
  /// FLT_REGISTRATION flags and instance setup choices that decide attachment by volume class
  /// (docs/model.md#volume-policies). Not in the registry: scenarios state them.
  bool supports_dax = false;         ///< FLTFL_REGISTRATION_SUPPORT_DAX_VOLUME (docs/model.md#dax)
  bool supports_named_pipes = false; ///< FLTFL_REGISTRATION_SUPPORT_NPFS_MSFS (pipes, mailslots)
  /// Classes its InstanceSetupCallback (or, for a legacy filter, its mount handling) declines:
  /// STATUS_FLT_DO_NOT_ATTACH (docs/model.md#instance-setup).
  std::vector<VolumeClass> skip_volume_classes;

  [[nodiscard]] bool is_minifilter() const { return kind != DriverKind::legacy; }
  [[nodiscard]] bool is_legacy() const { return kind != DriverKind::minifilter; }
  /// The default instance, or nullptr if there is none or the name matches no instance (A5).
  [[nodiscard]] const Instance *find_default_instance() const;
};

struct Event {
  enum class Kind : std::uint8_t { load, unload };
  Kind kind = Kind::load;
  std::string driver;
  SourceLocation location;
};

struct Scenario {
  std::string title;
  /// ServiceGroupOrder\List override; nullopt = Windows 10 default
  /// (docs/model.md#servicegrouporder).
  std::optional<std::vector<std::string>> service_group_order;
  /// GroupOrderList: group -> tags in order (L3). Keys compared case-insensitively by the engine.
  std::map<std::string, std::vector<std::uint32_t>> group_order_list;
  std::vector<Driver> drivers;      ///< manifest order = install order (tie break, Q4)
  std::vector<Event> events;        ///< after boot, in order (L5)
  std::vector<std::string> volumes; ///< volumes instances attach to; empty = one implicit volume
  /// Class and settings of named volumes (keys as in `volumes`); a volume without one is a fixed
  /// NTFS volume (docs/model.md#volume-classes).
  std::map<std::string, VolumeSpec> volume_specs;
  MachinePolicy policy; ///< docs/model.md#volume-policies

  /// The spec of a volume (a default NTFS spec when it has none).
  [[nodiscard]] VolumeSpec volume_spec(const std::string &volume) const;

  /// Index of the driver with this name (case-insensitive), or -1.
  [[nodiscard]] int find_driver(const std::string &name) const;
};

/// What `put_drivers` does with a second incoming driver of one name.
enum class SameName {
  /// Each driver already there is replaced at most once; a second incoming driver of its name is
  /// appended, so that the reader reports duplicate-driver (a manifest onto a base, a scenario
  /// onto its baseline: both sides are what the user wrote).
  replace_once,
  /// The latest incoming driver of a name wins (an overlay onto a build, a fleet change, a later
  /// file of a machine folder): no duplicate is ever made.
  latest_wins,
};

/// Puts each of `incoming` into `drivers` by name (ASCII case-insensitive): in place of the first
/// driver of its name already there, keeping that position (an upgrade keeps its install order),
/// else appended (a new install comes last, Q4). Returns the index each incoming driver went to.
std::vector<std::size_t> put_drivers(std::vector<Driver> &drivers, std::vector<Driver> incoming,
                                     SameName same_name);

} // namespace fltsim::sim
