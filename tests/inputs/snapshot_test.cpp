// `fltsim snapshot`'s folder (inputs::write_snapshot) over recorded fakes of a live Windows
// machine: the registry recorded as the corpus .reg export, Filter Manager as the 13 inbox filters
// of a Windows 11 24H2 machine (tests/corpus/fltmc/09-win11-26100-xps15-ucpd-bfs-unionfs.txt,
// typed here from that listing: names, altitudes, frames, instance counts). The folder must read
// back through the door (read_machine_evidence: what import, diagnose and fleet use) as exactly
// what the fakes said. The Windows sources themselves run under wine (scripts/test-windows.sh).
#include <doctest/doctest.h>

#include <algorithm>

#include "fltsim/inputs/machine_evidence.hpp"
#include "fltsim/inputs/snapshot.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/io/platform.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace fltsim;

namespace {

class RecordedRegistry final : public machine::LiveSource {
public:
  explicit RecordedRegistry(machine::RegistrySnapshot s) : s_(std::move(s)) {}
  machine::RegistrySnapshot system_registry(std::vector<std::string> &unread) override {
    unread.push_back("HKLM\\SYSTEM\\ControlSet001\\Policies: Access is denied");
    return s_;
  }
  std::optional<std::string> windows_build(std::vector<std::string> &) override { return "26100"; }

private:
  machine::RegistrySnapshot s_;
};

struct Row {
  const char *name;
  const char *altitude;
  int instances;
};
// The Windows 11 24H2 machine of corpus capture 09, as FilterFindNext listed it: frame 0.
const Row kFilters[] = {
    {"bindflt", "409800", 1},    {"UCPD", "385250.5", 9},    {"WdFilter", "328010", 9},
    {"storqosflt", "244000", 0}, {"wcifs", "189900", 0},     {"CldFlt", "180451", 3},
    {"bfs", "150000", 11},       {"FileCrypt", "141100", 0}, {"luafv", "135000", 1},
    {"UnionFS", "130850", 0},    {"npsvctrig", "46000", 1},  {"Wof", "40700", 7},
    {"FileInfo", "40500", 9},
};
// Volumes as `fltmc volumes` lists them on such a machine: named ones, then device names only.
const char *const kVolumes[] = {"C:",
                                "D:",
                                "\\Device\\Mup",
                                "\\Device\\HarddiskVolume1",
                                "\\Device\\HarddiskVolume2",
                                "\\Device\\HarddiskVolume4",
                                "\\Device\\HarddiskVolume5",
                                "\\Device\\NamedPipe",
                                "\\Device\\Mailslot",
                                "\\Device\\HarddiskVolumeShadowCopy1",
                                "\\Device\\HarddiskVolumeShadowCopy2"};
const char *const kLoadOrder[] = {"FileInfo", "Wof", "bfs", "WdFilter", "UCPD", "bindflt"};

class RecordedFilterManager final : public observed::FilterManagerSource {
public:
  std::vector<observed::LiveFilter> filters(std::vector<std::string> &) override {
    std::vector<observed::LiveFilter> out;
    for (const Row &r : kFilters)
      out.push_back({r.name, false, r.altitude, 0, r.instances});
    out.push_back({"LegacyAV", true, "329998.99", 0, 0}); // a legacy filter: no frame
    return out;
  }
  std::vector<observed::LiveInstance> instances(std::vector<std::string> &) override {
    std::vector<observed::LiveInstance> out;
    for (const Row &r : kFilters)
      for (int i = 0; i < r.instances; ++i)
        out.push_back(
            {r.name, kVolumes[i], false, r.altitude, std::string(r.name) + " Instance", 0, 0xf});
    out.push_back({"LegacyAV", "C:", true, "", "", 0, 0});
    return out;
  }
  std::vector<observed::LiveVolume> volumes(std::vector<std::string> &) override {
    std::vector<observed::LiveVolume> out;
    for (const char *v : kVolumes) {
      const std::string name = v;
      if (name == "C:")
        out.push_back({"C:", "\\Device\\HarddiskVolume3", "NTFS"});
      else if (name == "D:")
        out.push_back({"D:", "\\Device\\HarddiskVolume6", "ReFS"});
      else
        out.push_back({"", name, name == "\\Device\\Mup" ? "Remote" : "NTFS"});
    }
    return out;
  }
  std::vector<observed::LiveLoadEvent> load_events(std::vector<std::string> &) override {
    std::vector<observed::LiveLoadEvent> out;
    int second = 1;
    for (const char *f : kLoadOrder)
      out.push_back({"2026-12-01T08:00:0" + std::to_string(second++) + ".000",
                     std::string("File System Filter '") + f +
                         "' (Version 10.0, 2074-11-09T15:03:12.000000000Z) has successfully "
                         "loaded and registered with Filter Manager."});
    return out;
  }
};

machine::RegistrySnapshot corpus_registry() {
  const auto bytes = test::read_file(test::corpus_root() / "machine" / "system_small.reg");
  const auto text = io::decode_text(bytes, "system_small.reg");
  REQUIRE(text.text);
  machine::RegistryRead read = machine::read_reg_export(*text.text, "system_small.reg");
  REQUIRE(read.errors.empty());
  return read.snapshot;
}

} // namespace

TEST_CASE("write_snapshot: the folder reads back through the door as what the machine said") {
  RecordedRegistry registry(corpus_registry());
  RecordedFilterManager fltmgr;
  test::TempDir dir;
  const fs::path folder = dir.path() / "machine";
  const inputs::SnapshotResult r = inputs::write_snapshot(registry, fltmgr, folder);
  REQUIRE_FALSE(r.error);
  CHECK(r.registry);
  std::vector<std::string> names;
  for (const fs::path &p : r.written)
    names.push_back(p.filename().string());
  CHECK(names == std::vector<std::string>{"system.reg", "fltmc.txt", "events.txt", "build.txt",
                                          "snapshot.txt"});
  CHECK(test::read_file(folder / "snapshot.txt").find("Policies: Access is denied") !=
        std::string::npos);

  const inputs::MachineEvidence e = inputs::read_machine_evidence({io::path_to_utf8(folder)});
  for (const auto &d : e.diagnostics)
    INFO(d.message);
  REQUIRE_FALSE(e.has_errors());
  CHECK(e.configuration);
  CHECK(e.build == "26100");

  // Filter Manager's filters, as FilterFindNext gave them.
  REQUIRE(e.capture);
  const observed::ObservedSection *filters = e.capture->find(observed::ObservedKind::fltmc_filters);
  REQUIRE(filters);
  REQUIRE(filters->filters.size() == std::size(kFilters) + 1);
  for (std::size_t i = 0; i < std::size(kFilters); ++i) {
    const observed::ObservedFilter &f = filters->filters[i];
    INFO(kFilters[i].name);
    CHECK(f.name == kFilters[i].name);
    REQUIRE(f.altitude);
    CHECK(f.altitude->text() == kFilters[i].altitude);
    CHECK(f.frame == 0);
    CHECK(f.num_instances == kFilters[i].instances);
    CHECK_FALSE(f.legacy);
  }
  CHECK(filters->filters.back().name == "LegacyAV");
  CHECK(filters->filters.back().legacy);

  // Every instance, on its volume; the legacy filter's row without a frame.
  const observed::ObservedSection *instances =
      e.capture->find(observed::ObservedKind::fltmc_instances);
  REQUIRE(instances);
  int total = 1;
  for (const Row &row : kFilters)
    total += row.instances;
  REQUIRE(instances->instances.size() == static_cast<std::size_t>(total));
  CHECK(instances->instances[1].filter == "UCPD");
  CHECK(instances->instances[1].volume == "C:");
  CHECK(instances->instances[1].instance_name == "UCPD Instance");
  CHECK(instances->instances[1].frame == 0);
  CHECK(instances->instances[1].supported_features == "0000000f");
  CHECK(instances->instances.back().legacy);

  const observed::ObservedSection *volumes = e.capture->find(observed::ObservedKind::fltmc_volumes);
  REQUIRE(volumes);
  REQUIRE(volumes->volumes.size() == std::size(kVolumes));
  CHECK(volumes->volumes[0].dos_name == "C:");
  CHECK(volumes->volumes[2].dos_name.empty());
  CHECK(volumes->volumes[2].volume == "\\Device\\Mup");

  // FilterManager event 6: the registration order.
  CHECK(e.load_order == std::vector<std::string>(std::begin(kLoadOrder), std::end(kLoadOrder)));
}

TEST_CASE("write_snapshot: a machine that gives nothing leaves a folder that says why") {
  class Nothing final : public machine::LiveSource {
  public:
    machine::RegistrySnapshot system_registry(std::vector<std::string> &unread) override {
      unread.push_back("the registry: access denied");
      return {};
    }
    std::optional<std::string> windows_build(std::vector<std::string> &) override { return {}; }
  } registry;
  auto fltmgr = observed::this_machine_filter_manager();
  test::TempDir dir;
  const inputs::SnapshotResult r = inputs::write_snapshot(registry, *fltmgr, dir.path() / "m");
  REQUIRE_FALSE(r.error);
  CHECK_FALSE(r.registry);
  REQUIRE(r.written.size() == 1);
  const std::string report = test::read_file(dir.path() / "m" / "snapshot.txt");
  CHECK(report.find("the registry: access denied") != std::string::npos);
#ifndef _WIN32
  CHECK(report.find("the Filter Manager's filters: this is not Windows") != std::string::npos);
  CHECK(report.find("the System event log: this is not Windows") != std::string::npos);
#endif
}
