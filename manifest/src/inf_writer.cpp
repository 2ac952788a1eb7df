// The INF writer (inf_writer.hpp): nullFilter-shaped install INF of one minifilter.
#include "fltsim/manifest/inf_writer.hpp"

#include <array>
#include <cctype>

#include "fltsim/sim/groups.hpp"
#include "fltsim/sim/require.hpp"

namespace fltsim::manifest {

namespace {

// "File System Filter Driver Classes and Class GUIDs" (learn.microsoft.com; values also in the
// SDK's devguid.h). Filter, FSFilter Top and FSFilter Bottom are not setup classes.
struct GroupClass {
  const char *group;
  SetupClass cls;
};
constexpr std::array<GroupClass, 17> kClasses{{
    {"FSFilter Activity Monitor", {"ActivityMonitor", "{b86dff51-a31e-4bac-b3cf-e8cfe75c9fc2}"}},
    {"FSFilter Undelete", {"Undelete", "{fe8f1572-c67a-48c0-bbac-0b5c6d66cafb}"}},
    {"FSFilter Anti-Virus", {"AntiVirus", "{b1d1a169-c54f-4379-81db-bee7d88d7454}"}},
    {"FSFilter Replication", {"Replication", "{48d3ebc4-4cf8-48ff-b869-9c68ad42eb9f}"}},
    {"FSFilter Continuous Backup", {"ContinuousBackup", "{71aa14f8-6fad-4622-ad77-92bb9d7e6947}"}},
    {"FSFilter Content Screener", {"ContentScreener", "{3e3f0674-c83c-4558-bb26-9820e1eba5c5}"}},
    {"FSFilter Quota Management", {"QuotaManagement", "{8503c911-a6c7-4919-8f79-5028f5866b0c}"}},
    {"FSFilter System Recovery", {"SystemRecovery", "{2db15374-706e-4131-a0c7-d7c78eb0289a}"}},
    {"FSFilter Cluster File System",
     {"CFSMetaDataServer", "{cdcf0939-b75b-4630-bf76-80f7ba655884}"}},
    {"FSFilter HSM", {"HSM", "{d546500a-2aeb-45f6-9482-f4b1799c3177}"}},
    {"FSFilter Compression", {"Compression", "{f3586baf-b5aa-49b5-8d6c-0569284c639f}"}},
    {"FSFilter Encryption", {"Encryption", "{a0a701c0-a511-42ff-aa6c-06dc0395576f}"}},
    {"FSFilter Virtualization", {"Virtualization", "{f75a86c0-10d8-4c3a-b233-ed60e4cdfaac}"}},
    {"FSFilter Physical Quota Management",
     {"PhysicalQuotaManagement", "{6a0a8e78-bba6-4fc4-a709-1e33cd09d67e}"}},
    {"FSFilter Open File", {"OpenFileBackup", "{f8ecafa6-66d1-41a5-899b-66585d7216b7}"}},
    {"FSFilter Security Enhancer", {"SecurityEnhancer", "{d02bc3da-0c8e-4945-9bd5-f1883c226c8c}"}},
    {"FSFilter Copy Protection", {"CopyProtection", "{89786ff1-9c12-402f-9c9e-17753c7f4375}"}},
}};

constexpr SetupClass kFallbackClass{"ActivityMonitor", "{b86dff51-a31e-4bac-b3cf-e8cfe75c9fc2}"};

int start_value(sim::StartType s) {
  return static_cast<int>(s);
}

const char *start_comment(sim::StartType s) {
  switch (s) {
  case sim::StartType::boot:
    return "SERVICE_BOOT_START";
  case sim::StartType::system:
    return "SERVICE_SYSTEM_START";
  case sim::StartType::automatic:
    return "SERVICE_AUTO_START";
  case sim::StartType::demand:
    return "SERVICE_DEMAND_START";
  case sim::StartType::disabled:
    return "SERVICE_DISABLED";
  }
  return "";
}

/// INF strings are quoted; a '"' inside is doubled.
std::string quoted(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    out += c;
    if (c == '"')
      out += '"';
  }
  return out + "\"";
}

std::string hex_flags(std::uint32_t v) {
  static const char *digits = "0123456789ABCDEF";
  std::string s;
  do {
    s.insert(s.begin(), digits[v & 0xFu]);
    v >>= 4;
  } while (v != 0);
  return "0x" + s;
}

// Header entries are free text (a scenario title, the planner's reasons); in the INF each sits in
// one ";;;" comment line, so a line break or another control character would end the comment and
// could inject INF lines. They become '?'.
std::string comment_text(std::string s) {
  for (char &c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      c = '?';
  return s;
}

} // namespace

const SetupClass *setup_class_for_group(std::string_view group) {
  for (const GroupClass &g : kClasses)
    if (sim::iequals(g.group, group))
      return &g.cls;
  return nullptr;
}

std::string inf_file_name(std::string_view service) {
  std::string s;
  for (char c : service) {
    const unsigned char u = static_cast<unsigned char>(c);
    s += std::isalnum(u) || c == '_' || c == '-' ? static_cast<char>(std::tolower(u)) : '_';
  }
  return (s.empty() ? std::string("dummy") : s) + ".inf";
}

std::string render_minifilter_inf(const sim::Driver &d, const InfWriteOptions &o) {
  FLTSIM_REQUIRE(d.kind == sim::DriverKind::minifilter, "the INF writer writes minifilters");
  const sim::Instance *instance = d.find_default_instance();
  FLTSIM_REQUIRE(instance != nullptr, "a minifilter INF needs the default instance");
  std::string out;
  auto line = [&](const std::string &s = {}) { out += s + "\r\n"; };
  const std::string group = d.group.value_or("");
  const SetupClass *cls = setup_class_for_group(group);
  const std::string n = d.name;
  const std::string file = inf_file_name(n);

  line(";;;");
  for (const std::string &h : o.header)
    line(h.empty() ? std::string(";;;") : ";;; " + comment_text(h));
  if (!cls) {
    line(";;;");
    line(";;; \"" + comment_text(group) +
         "\" has no file system filter setup class; ActivityMonitor is used as in");
    line(";;; the WDK samples. LoadOrderGroup below is what decides the load order.");
  }
  line(";;;");
  line();
  line("[Version]");
  line("Signature   = \"$Windows NT$\"");
  line(std::string("Class       = ") + quoted((cls ? *cls : kFallbackClass).name));
  line(std::string("ClassGuid   = ") + (cls ? *cls : kFallbackClass).guid);
  line("Provider    = %ProviderString%");
  line("DriverVer   = " + o.driver_ver);
  line("CatalogFile = " + file.substr(0, file.size() - 4) + ".cat");
  line("PnpLockdown = 1");
  line();
  line("[SourceDisksFiles]");
  line(n + ".sys = 1,,");
  line();
  line("[SourceDisksNames]");
  line("1 = %DiskId1%,,,");
  line();
  line("[DestinationDirs]");
  line(n + "Downlevel.CopyDriverFiles = 12            ;%windir%\\system32\\drivers");
  line(n + "Downlevel.DelDriverFiles  = 12            ;%windir%\\system32\\drivers");
  line(n + ".DriverFiles              = 13            ;driver store");
  line();
  line(";;");
  line(";; Default install sections");
  line(";;");
  line();
  line("[DefaultInstall.NT$ARCH$.10.0...25952]");
  line("OptionDesc  = %ServiceDescription%");
  line("CopyFiles   = " + n + ".DriverFiles");
  line();
  line("[DefaultInstall.NT$ARCH$.10.0...25952.Services]");
  line("AddService  = %ServiceName%,," + n + ".Service");
  line();
  auto service = [&](const std::string &section, const std::string &binary,
                     const std::string &addreg) {
    line("[" + section + "]");
    line("DisplayName      = %ServiceName%");
    line("Description      = %ServiceDescription%");
    line("ServiceBinary    = " + binary);
    line("Dependencies     = \"FltMgr\"");
    line("ServiceType      = 2                        ;SERVICE_FILE_SYSTEM_DRIVER");
    line("StartType        = " + std::to_string(start_value(d.start)) +
         "                        ;" + start_comment(d.start));
    line("ErrorControl     = 1                        ;SERVICE_ERROR_NORMAL");
    if (d.group)
      line("LoadOrderGroup   = " + quoted(*d.group));
    line("AddReg           = " + addreg);
    line();
  };
  auto addreg = [&](const std::string &section, const std::string &prefix) {
    line("[" + section + "]");
    line("HKR," + (prefix.empty() ? std::string() : quoted(prefix)) +
         ",\"SupportedFeatures\",0x00010001,0x3");
    const std::string inst = prefix.empty() ? "Instances" : prefix + "\\Instances";
    line("HKR," + quoted(inst) + ",\"DefaultInstance\",0x00000000,%DefaultInstance%");
    line("HKR,\"" + inst + "\\\"%Instance1.Name%,\"Altitude\",0x00000000,%Instance1.Altitude%");
    line("HKR,\"" + inst + "\\\"%Instance1.Name%,\"Flags\",0x00010001,%Instance1.Flags%");
    line();
  };
  line(";");
  line("; Support sections");
  line(";");
  line();
  service(n + ".Service", "%13%\\%DriverName%.sys    ;driver store", n + ".AddRegistry");
  addreg(n + ".AddRegistry", "Parameters");
  line("[" + n + ".DriverFiles]");
  line("%DriverName%.sys");
  line();
  line(";;");
  line(";; Downlevel default install sections");
  line(";;");
  line();
  line("[DefaultInstall.NT$ARCH$]");
  line("OptionDesc  = %ServiceDescription%");
  line("CopyFiles   = " + n + "Downlevel.CopyDriverFiles");
  line();
  line("[DefaultInstall.NT$ARCH$.Services]");
  line("AddService  = %ServiceName%,," + n + "Downlevel.Service");
  line();
  line(";;");
  line(";; Downlevel default uninstall sections");
  line(";;");
  line();
  line("[DefaultUninstall.NT$ARCH$]");
  line("LegacyUninstall = 1");
  line("DelFiles        = " + n + "Downlevel.DelDriverFiles");
  line();
  line("[DefaultUninstall.NT$ARCH$.Services]");
  line("DelService      = %ServiceName%,0x200      ;Ensure service is stopped before deleting");
  line();
  line(";");
  line("; Downlevel support sections");
  line(";");
  line();
  service(n + "Downlevel.Service", "%12%\\%DriverName%.sys    ;%windir%\\system32\\drivers",
          n + "Downlevel.AddRegistry");
  addreg(n + "Downlevel.AddRegistry", "");
  line("[" + n + "Downlevel.CopyDriverFiles]");
  line("%DriverName%.sys");
  line();
  line("[" + n + "Downlevel.DelDriverFiles]");
  line("%DriverName%.sys");
  line();
  line(";;");
  line(";; String Section");
  line(";;");
  line();
  line("[Strings]");
  line("ProviderString          = " + quoted(o.provider));
  line("ServiceDescription      = " +
       quoted(o.description.empty() ? n + " minifilter" : o.description));
  line("ServiceName             = " + quoted(n));
  line("DriverName              = " + quoted(n));
  line("DiskId1                 = " + quoted(n + " Device Installation Disk"));
  line();
  line(";Instances specific information.");
  line("DefaultInstance         = " + quoted(instance->name));
  line("Instance1.Name          = " + quoted(instance->name));
  line("Instance1.Altitude      = " + quoted(instance->altitude.text()));
  line("Instance1.Flags         = " + hex_flags(instance->flags) +
       (instance->flags & 0x1u ? "          ; Suppress automatic attachments" : ""));
  return out;
}

} // namespace fltsim::manifest
