#pragma once
// Built-in Windows tables (docs/model.md#tables). The engine is pure, so the tables are compiled
// in; data/ATTRIBUTION.md names their sources: Microsoft's documentation (CC BY 4.0) and the
// ServiceGroupOrder\List of a Windows 10 registry.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "fltsim/sim/altitude.hpp"

namespace fltsim::sim {

/// One load order group from Microsoft's documented table (docs/model.md#groups), top of stack
/// first.
struct GroupInfo {
  std::string_view name;
  std::string_view low;  ///< documented range, inclusive
  std::string_view high; ///< documented range, inclusive
  /// Altitude fltmgr gives a legacy filter of this group (docs/model.md#legacy-altitudes), or
  /// empty: no altitude
  /// (FSFilter Infrastructure is in the documented table but not in fltmgr's).
  std::string_view legacy_altitude;
};

/// The 23 documented groups, top of stack first.
[[nodiscard]] std::span<const GroupInfo> documented_groups();

/// Case-insensitive lookup (fltmgr matches case-insensitively, docs/model.md#legacy-altitudes).
[[nodiscard]] const GroupInfo *find_group(std::string_view name);

/// docs/model.md#legacy-altitudes: a legacy filter's altitude from its service Group. nullopt for
/// no group, an unknown group, or FSFilter Infrastructure.
[[nodiscard]] std::optional<Altitude> legacy_altitude_for_group(std::string_view group);

/// The Windows 10 ServiceGroupOrder\List (docs/model.md#servicegrouporder), 70 names.
[[nodiscard]] std::span<const std::string_view> default_service_group_order();

/// ASCII lower case of one byte ('A'-'Z' only; other bytes, UTF-8 included, are kept).
[[nodiscard]] constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
/// ASCII case-insensitive equality, the comparison Windows uses for service and group names.
/// Inline: the engine's name tables (sim/src/name_index.hpp) compare with it on every lookup.
[[nodiscard]] inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i]))
      return false;
  return true;
}
/// Lower-cased copy (ASCII), for case-insensitive keys.
[[nodiscard]] std::string ascii_lower(std::string_view s);

} // namespace fltsim::sim
