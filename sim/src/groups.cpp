#include "fltsim/sim/groups.hpp"

#include <array>

namespace fltsim::sim {

namespace {
// docs/model.md#groups and docs/model.md#legacy-altitudes. Imaging's legacy altitude is 174998.99
// although the documented range ends at 175000: fltmgr's table says 174999 (Q12).
constexpr std::array<GroupInfo, 23> kGroups{{
    {"Filter", "420000", "429999", "429998.99"},
    {"FSFilter Top", "400000", "409999", "409998.99"},
    {"FSFilter Activity Monitor", "360000", "389999", "389998.99"},
    {"FSFilter Undelete", "340000", "349999", "349998.99"},
    {"FSFilter Anti-Virus", "320000", "329999", "329998.99"},
    {"FSFilter Replication", "300000", "309999", "309998.99"},
    {"FSFilter Continuous Backup", "280000", "289999", "289998.99"},
    {"FSFilter Content Screener", "260000", "269999", "269998.99"},
    {"FSFilter Quota Management", "240000", "249999", "249998.99"},
    {"FSFilter System Recovery", "220000", "229999", "229998.99"},
    {"FSFilter Cluster File System", "200000", "209999", "209998.99"},
    {"FSFilter HSM", "180000", "189999", "189998.99"},
    {"FSFilter Imaging", "170000", "175000", "174998.99"},
    {"FSFilter Compression", "160000", "169999", "169998.99"},
    {"FSFilter Encryption", "140000", "149999", "149998.99"},
    {"FSFilter Virtualization", "130000", "139999", "139998.99"},
    {"FSFilter Physical Quota Management", "120000", "129999", "129998.99"},
    {"FSFilter Open File", "100000", "109999", "109998.99"},
    {"FSFilter Security Enhancer", "80000", "89999", "89998.99"},
    {"FSFilter Copy Protection", "60000", "69999", "69998.99"},
    {"FSFilter Bottom", "40000", "49999", "49998.99"},
    {"FSFilter System", "20000", "29999", "29998.99"},
    {"FSFilter Infrastructure", "0", "19999", ""},
}};

constexpr std::array<std::string_view, 70> kServiceGroupOrder{
    "System Reserved",
    "EMS",
    "WdfLoadGroup",
    "Boot Bus Extender",
    "System Bus Extender",
    "SCSI miniport",
    "Port",
    "Primary Disk",
    "SCSI Class",
    "SCSI CDROM Class",
    "FSFilter Infrastructure",
    "FSFilter System",
    "FSFilter Bottom",
    "FSFilter Copy Protection",
    "FSFilter Security Enhancer",
    "FSFilter Open File",
    "FSFilter Physical Quota Management",
    "FSFilter Virtualization",
    "FSFilter Encryption",
    "FSFilter Compression",
    "FSFilter Imaging",
    "FSFilter HSM",
    "FSFilter Cluster File System",
    "FSFilter System Recovery",
    "FSFilter Quota Management",
    "FSFilter Content Screener",
    "FSFilter Continuous Backup",
    "FSFilter Replication",
    "FSFilter Anti-Virus",
    "FSFilter Undelete",
    "FSFilter Activity Monitor",
    "FSFilter Top",
    "Filter",
    "Boot File System",
    "Base",
    "Pointer Port",
    "Keyboard Port",
    "Pointer Class",
    "Keyboard Class",
    "Video Init",
    "Video",
    "Video Save",
    "File System",
    "Streams Drivers",
    "NDIS Wrapper",
    "COM Infrastructure",
    "Event Log",
    "PerceptionGroup",
    "ProfSvc_Group",
    "AudioGroup",
    "UIGroup",
    "MS_WindowsLocalValidation",
    "PlugPlay",
    "Cryptography",
    "PNP_TDI",
    "NDIS",
    "TDI",
    "iSCSI",
    "NetBIOSGroup",
    "ShellSvcGroup",
    "SchedulerGroup",
    "SpoolerGroup",
    "SmartCardGroup",
    "NetworkProvider",
    "MS_WindowsRemoteValidation",
    "NetDDEGroup",
    "Parallel arbitrator",
    "Extended Base",
    "PCI Configuration",
    "MS Transactions",
};
} // namespace

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char &c : out)
    c = ascii_lower(c);
  return out;
}

std::span<const GroupInfo> documented_groups() {
  return kGroups;
}

const GroupInfo *find_group(std::string_view name) {
  for (const GroupInfo &g : kGroups)
    if (iequals(g.name, name))
      return &g;
  return nullptr;
}

std::optional<Altitude> legacy_altitude_for_group(std::string_view group) {
  const GroupInfo *g = find_group(group);
  if (!g || g->legacy_altitude.empty())
    return std::nullopt;
  // Parsed once: every legacy filter of every simulation asks.
  static const std::array<std::optional<Altitude>, kGroups.size()> parsed = [] {
    std::array<std::optional<Altitude>, kGroups.size()> out;
    for (std::size_t i = 0; i < kGroups.size(); ++i)
      if (!kGroups[i].legacy_altitude.empty())
        out[i] = Altitude::from_literal(kGroups[i].legacy_altitude);
    return out;
  }();
  return parsed[static_cast<std::size_t>(g - kGroups.data())];
}

std::span<const std::string_view> default_service_group_order() {
  return kServiceGroupOrder;
}

} // namespace fltsim::sim
