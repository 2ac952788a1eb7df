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

  /// Index of the driver with this name (case-insensitive), or -1.
  [[nodiscard]] int find_driver(const std::string &name) const;
};

} // namespace fltsim::sim
