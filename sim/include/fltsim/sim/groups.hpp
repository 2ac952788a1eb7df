#pragma once
// Built-in Windows tables (fltmgr-rules.md §3). The engine is pure, so the tables are compiled in;
// the CSV/TXT copies under ../shared/reference/data are their sources.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "fltsim/sim/altitude.hpp"

namespace fltsim::sim {

/// One load order group from Microsoft's documented table (§3.1), top of stack first.
struct GroupInfo {
  std::string_view name;
  std::string_view low;  ///< documented range, inclusive
  std::string_view high; ///< documented range, inclusive
  /// Altitude fltmgr gives a legacy filter of this group (§3.2), or empty: no altitude
  /// (FSFilter Infrastructure is in the documented table but not in fltmgr's).
  std::string_view legacy_altitude;
};

/// The 23 documented groups, top of stack first (data/groups.csv).
[[nodiscard]] std::span<const GroupInfo> documented_groups();

/// Case-insensitive lookup (fltmgr matches with _wcsicmp, §3.2).
[[nodiscard]] const GroupInfo *find_group(std::string_view name);

/// §3.2: a legacy filter's altitude from its service Group. nullopt for no group, an unknown
/// group, or FSFilter Infrastructure.
[[nodiscard]] std::optional<Altitude> legacy_altitude_for_group(std::string_view group);

/// The Windows 10 ServiceGroupOrder\List (§3.3, data/servicegrouporder.txt), 70 names.
[[nodiscard]] std::span<const std::string_view> default_service_group_order();

/// ASCII case-insensitive equality, the comparison Windows uses for service and group names.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b);
/// Lower-cased copy (ASCII), for case-insensitive keys.
[[nodiscard]] std::string ascii_lower(std::string_view s);

} // namespace fltsim::sim
