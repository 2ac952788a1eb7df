// INF forms and kind quirks (tests/corpus/inf/quirks, tests/corpus/README.md): encodings as
// Windows reads them (decode_inf), instance keys written through absolute HKLM paths, and the
// kind decided from evidence (docs/model.md#kind-evidence, K1-K8 and the INF-only rules).
// Expected values come from the corpus files, not from the reader.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/manifest/inf_reader.hpp"
#include "fltsim/manifest/reg_reader.hpp"
#include "fltsim/sim/engine.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using fltsim::manifest::IncludeResult;
using fltsim::manifest::InfReadOptions;
namespace manifest = fltsim::manifest;
namespace inputs = fltsim::inputs;
namespace sim = fltsim::sim;

namespace {

fs::path quirks() {
  return fltsim::test::corpus_root() / "inf" / "quirks";
}

IncludeResult load(const std::string &file, std::uint32_t codepage = 1252) {
  InfReadOptions o;
  o.codepage = codepage;
  return inputs::load_manifest_file(quirks() / file, {}, o);
}

std::string codes(const std::vector<sim::Diagnostic> &ds) {
  std::string s;
  for (const sim::Diagnostic &d : ds)
    s += sim::format_diagnostic(d) + "\n";
  return s;
}

const sim::Instance *instance(const sim::Driver &d, const std::string &name) {
  for (const sim::Instance &i : d.instances)
    if (i.name == name)
      return &i;
  return nullptr;
}

const char *minimal_head = "[Version]\nSignature = \"$Windows NT$\"\n[DefaultInstall]\n"
                           "[DefaultInstall.Services]\n"
                           "AddService = Svc,,Svc.Service\n[Svc.Service]\nStartType = 0\n";

} // namespace

TEST_CASE("inf quirks: GBK comments in an ANSI INF are never fatal") {
  for (std::uint32_t cp : {1252u, 936u}) {
    CAPTURE(cp);
    const IncludeResult r = load("gbk-ansi-comments-fmonflt.inf", cp);
    INFO(codes(r.diagnostics));
    CHECK(r.diagnostics.empty());
    CHECK(r.notes.empty());
    REQUIRE(r.drivers.size() == 1);
    const sim::Driver &d = r.drivers[0];
    CHECK(d.name == "fmonflt");
    CHECK(d.kind == sim::DriverKind::minifilter);
    CHECK(d.group == "FSFilter Activity Monitor");
    CHECK(d.default_instance == "fmonflt Instance");
    REQUIRE(d.instances.size() == 1);
    CHECK(d.instances[0].altitude.text() == "368210");
    CHECK(d.instances[0].flags == 0u);
  }
  // In 936 the text is the Chinese it was written as; in 1252 it is Latin-1 look-alikes.
  const std::string bytes = fltsim::test::read_file(quirks() / "gbk-ansi-comments-fmonflt.inf");
  CHECK(manifest::decode_inf(bytes, "g.inf", {936}).text.find("文件监控微过滤驱动") !=
        std::string::npos);
  CHECK(manifest::decode_inf(bytes, "g.inf", {1252}).text.find("文件") == std::string::npos);
  // Read as UTF-8, only the one non-comment line with GBK (the [Strings] description, line 67)
  // is reported, at its first undecodable byte; the driver is still read.
  const IncludeResult u8 = load("gbk-ansi-comments-fmonflt.inf", 65001);
  REQUIRE(u8.diagnostics.size() == 1);
  CHECK(u8.diagnostics[0].code == "encoding");
  CHECK(u8.diagnostics[0].location.line == 67);
  CHECK(u8.diagnostics[0].location.column == 28);
  CHECK(u8.drivers.size() == 1);
}

TEST_CASE("inf quirks: UTF-16LE, UTF-16BE and UTF-8 are chosen by their byte-order marks") {
  struct Case {
    const char *file, *service, *altitude;
  };
  for (const Case &c : {Case{"utf16le-bom-uniflt.inf", "uniflt", "368230"},
                        Case{"utf16be-bom-uniflt-be.inf", "uniflt_be", "368240"},
                        Case{"utf8-bom-uniflt-u8.inf", "uniflt_u8", "368250"}}) {
    CAPTURE(c.file);
    // The code page does not matter when there is a byte-order mark.
    for (std::uint32_t cp : {1252u, 936u}) {
      const IncludeResult r = load(c.file, cp);
      INFO(codes(r.diagnostics));
      CHECK(r.diagnostics.empty());
      REQUIRE(r.drivers.size() == 1);
      CHECK(r.drivers[0].name == c.service);
      REQUIRE(r.drivers[0].instances.size() == 1);
      CHECK(r.drivers[0].instances[0].altitude.text() == c.altitude);
      CHECK(r.drivers[0].instances[0].location.line == 34); // same line in every encoding
    }
  }
  const std::string le = fltsim::test::read_file(quirks() / "utf16le-bom-uniflt.inf");
  CHECK(manifest::decode_inf(le, "le.inf").text.find("ファイル監視") != std::string::npos);
}

TEST_CASE("inf quirks: Instances keys written through absolute HKLM paths in DefaultInstall") {
  const IncludeResult r = load("hklm-instances-cryptfs.inf");
  INFO(codes(r.diagnostics));
  CHECK(r.diagnostics.empty());
  CHECK(r.notes.empty());
  REQUIRE(r.drivers.size() == 1);
  const sim::Driver &d = r.drivers[0];
  CHECK(d.name == "cryptfs");
  CHECK(d.kind == sim::DriverKind::minifilter);
  CHECK(d.start == sim::StartType::boot);
  CHECK(d.group == "FSFilter Encryption");
  CHECK(d.default_instance == "cryptfs Instance");
  REQUIRE(d.instances.size() == 2); // OtherService's key is not cryptfs's
  const sim::Instance *main = instance(d, "cryptfs Instance");
  const sim::Instance *raw = instance(d, "cryptfs Raw");
  REQUIRE(main != nullptr);
  REQUIRE(raw != nullptr);
  CHECK(main->altitude.text() == "145310");
  CHECK(main->flags == 0u);
  CHECK(main->location.line == 45);
  CHECK(raw->altitude.text() == "145305"); // SYSTEM\ControlSet001\...
  CHECK(raw->flags == 1u);                 // lower-case hklm,"system\currentcontrolset\..."
  // And so it registers: no missing-default-instance.
  sim::Scenario sc;
  sc.title = "cryptfs";
  sc.drivers = r.drivers;
  const sim::SimResult res = sim::simulate(sc);
  CHECK(std::none_of(res.findings.begin(), res.findings.end(), [](const sim::Finding &f) {
    return f.code == sim::rule::missing_default_instance;
  }));
}

TEST_CASE("inf quirks: a file system is not a filter (OpenZFS, K2)") {
  const IncludeResult r = load("openzfs-file-system.inf");
  INFO(codes(r.diagnostics));
  CHECK(r.diagnostics.empty()); // no inf-no-service either: the service is there, noted
  CHECK(r.drivers.empty());
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].code == "kind-evidence");
  CHECK(r.notes[0].location.line == 45); // its AddService, in [OpenZFS_Install.Services]
  CHECK(r.notes[0].message.find("\"File System\" group: a file system") != std::string::npos);
}

TEST_CASE("inf quirks: FltMgr dependency with commented-out instances is a minifilter (K1)") {
  const IncludeResult r = load("fltmgr-dependency-commented-instances-auditflt.inf");
  CHECK(r.diagnostics.empty());
  REQUIRE(r.drivers.size() == 1);
  const sim::Driver &d = r.drivers[0];
  CHECK(d.kind == sim::DriverKind::minifilter); // not a legacy filter: it cannot register
  CHECK(d.instances.empty());
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].message.find("depends on FltMgr") != std::string::npos);
  // `check` then reports missing-default-instance for it (tests/cli/check_inf_test.cpp).
}

TEST_CASE("inf quirks: a sandbox driver in a non-filter group is no legacy filter (K5)") {
  const IncludeResult r = load("sandbox-base-group-boxdrv.inf");
  CHECK(r.diagnostics.empty());
  REQUIRE(r.drivers.size() == 1);
  CHECK(r.drivers[0].kind == sim::DriverKind::minifilter);
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].message.find("group \"Base\", which is not a filter group") !=
        std::string::npos);
  CHECK(r.notes[0].location.line == 17);
}

TEST_CASE("inf quirks: kind rules K1-K5 on synthetic services") {
  auto read = [](const std::string &service_lines) {
    return manifest::parse_inf(std::string(minimal_head) + service_lines, "k.inf");
  };
  SUBCASE("K3: Type 2 in a filter group is a legacy filter, without a note") {
    const IncludeResult r = read("ServiceType = 2\nLoadOrderGroup = \"FSFilter Anti-Virus\"\n");
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].kind == sim::DriverKind::legacy);
    CHECK(r.notes.empty());
  }
  SUBCASE("K3: a private FSFilter group counts as a filter group") {
    const IncludeResult r = read("ServiceType = 2\nLoadOrderGroup = \"FSFilter Private\"\n");
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].kind == sim::DriverKind::legacy);
  }
  SUBCASE("INF-only: Type 1 in the group Filter is read as a legacy filter, noted") {
    const IncludeResult r = read("ServiceType = 1\nLoadOrderGroup = \"Filter\"\n");
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].kind == sim::DriverKind::legacy);
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].message.find("INF-only") != std::string::npos);
  }
  SUBCASE("K6: Type 1 in an FSFilter group is a legacy filter, without a note (mfehidk)") {
    const IncludeResult r = read("ServiceType = 1\nLoadOrderGroup = \"FSFilter Anti-Virus\"\n");
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].kind == sim::DriverKind::legacy);
    CHECK(r.notes.empty());
  }
  SUBCASE("K1 beats K3: a FltMgr dependency makes a minifilter, whatever the group") {
    const IncludeResult r = read("ServiceType = 2\nLoadOrderGroup = \"FSFilter Anti-Virus\"\n"
                                 "Dependencies = fltmgr\n");
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].kind == sim::DriverKind::minifilter);
  }
  SUBCASE("K2: Boot File System, case-insensitive, is a file system") {
    const IncludeResult r = read("ServiceType = 2\nLoadOrderGroup = \"boot file system\"\n");
    CHECK(r.drivers.empty());
    CHECK(r.diagnostics.empty());
    REQUIRE(r.notes.size() == 1);
  }
  SUBCASE("K1 over K2: a File System service with instances is a minifilter, noted") {
    const IncludeResult r = read("ServiceType = 2\nLoadOrderGroup = \"File System\"\n"
                                 "AddReg = R\n[R]\nHKR,Instances,DefaultInstance,,I\n"
                                 "HKR,Instances\\I,Altitude,,\"45100\"\n");
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].kind == sim::DriverKind::minifilter);
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].message.find("group of file systems") != std::string::npos);
  }
  SUBCASE("K5: no group, no evidence: a minifilter without instances, noted") {
    const IncludeResult r = read("ServiceType = 1\n");
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].kind == sim::DriverKind::minifilter);
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].message.find("no load order group") != std::string::npos);
  }
  SUBCASE("HKR in the install section's AddReg is not the service key") {
    const std::string text = "[Version]\nSignature = \"$Windows NT$\"\n[DefaultInstall]\n"
                             "AddReg = Top\n[Top]\nHKR,Instances,DefaultInstance,,I\n"
                             "[DefaultInstall.Services]\nAddService = Svc,,Svc.Service\n"
                             "[Svc.Service]\nStartType = 0\nServiceType = 2\n"
                             "LoadOrderGroup = \"FSFilter Bottom\"\n";
    const IncludeResult r = manifest::parse_inf(text, "h.inf");
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].kind == sim::DriverKind::legacy);
    CHECK_FALSE(r.drivers[0].default_instance.has_value());
  }
}

TEST_CASE("inf quirks: the .reg reader decides kind as machine import does") {
  const std::string head = "Windows Registry Editor Version 5.00\n\n"
                           "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Zfs]\n"
                           "\"Type\"=dword:00000002\n\"Start\"=dword:00000001\n";
  // A file system is left out, as `fltsim import` leaves it out (K5): no filter in the file.
  const IncludeResult fs = manifest::parse_reg(head + "\"Group\"=\"File System\"\n", "z.reg");
  CHECK(fs.drivers.empty());
  CHECK(fs.notes.empty());
  REQUIRE(fs.diagnostics.size() == 1);
  CHECK(fs.diagnostics[0].code == "reg-no-service");
  CHECK(fs.diagnostics[0].message.find("K5") != std::string::npos);
  // FSFilter group, FltMgr dependency, no instance: a legacy filter, noted (K6), unlike an INF.
  const IncludeResult mf = manifest::parse_reg(
      head + "\"Group\"=\"FSFilter Bottom\"\n\"DependOnService\"=hex(7):46,00,6c,00,74,00,4d,00,"
             "67,00,72,00,00,00,00,00\n",
      "m.reg");
  INFO(codes(mf.diagnostics));
  REQUIRE(mf.drivers.size() == 1);
  CHECK(mf.drivers[0].kind == sim::DriverKind::legacy);
  REQUIRE(mf.notes.size() == 1);
  const IncludeResult lg = manifest::parse_reg(head + "\"Group\"=\"FSFilter Bottom\"\n", "l.reg");
  REQUIRE(lg.drivers.size() == 1);
  CHECK(lg.drivers[0].kind == sim::DriverKind::legacy); // K6
}

TEST_CASE("decode_inf: code pages through iconv, replacements located") {
  CHECK(manifest::inf_codepage_supported(1252));
  CHECK(manifest::inf_codepage_supported(936));
  CHECK(manifest::inf_codepage_supported(65001));
  CHECK_FALSE(manifest::inf_codepage_supported(0));
  CHECK_FALSE(manifest::inf_codepage_supported(12345));
  SUBCASE("Windows-1252 is the default: an ANSI instance name reads as written") {
    const std::string text = std::string(minimal_head) +
                             "ServiceType = 2\nDependencies = FltMgr\nAddReg = R\n[R]\n"
                             "HKR,Instances,DefaultInstance,,\"Soci\xe9t\xe9 \x80\"\n"
                             "HKR,\"Instances\\Soci\xe9t\xe9 \x80\",Altitude,,\"368270\"\n";
    const IncludeResult r = manifest::read_inf(text, "w.inf");
    INFO(codes(r.diagnostics));
    CHECK(r.diagnostics.empty());
    REQUIRE(r.drivers.size() == 1);
    REQUIRE(r.drivers[0].instances.size() == 1);
    CHECK(r.drivers[0].instances[0].name == "Société €");
    CHECK(r.drivers[0].find_default_instance() != nullptr);
  }
  SUBCASE("the five bytes 1252 leaves unassigned read as Windows reads them") {
    const auto t = manifest::decode_inf("[a]\nk = \"\x81\x8d\x8f\x90\x9d\"\n", "c.inf");
    CHECK(t.diagnostics.empty());
    CHECK(t.text.find("\xc2\x81\xc2\x8d\xc2\x8f\xc2\x90\xc2\x9d") != std::string::npos);
  }
  SUBCASE("an invalid GBK sequence outside a comment is located, inside one it is not") {
    const auto t = manifest::decode_inf("[a] ; \x81\x20\n; \xff\nk = ab\xff\n", "c.inf", {936});
    REQUIRE(t.diagnostics.size() == 1);
    CHECK(t.diagnostics[0].location.line == 3);
    CHECK(t.diagnostics[0].location.column == 7);
    CHECK(t.diagnostics[0].message.find("byte 0xFF") != std::string::npos);
  }
  SUBCASE("a ';' inside quotes does not start a comment") {
    const auto t = manifest::decode_inf("k = \"a;\xff\"\n", "c.inf", {65001});
    CHECK(t.diagnostics.size() == 1);
  }
  SUBCASE("UTF-16 without a byte-order mark is named once") {
    const std::string b("[\0V\0]\0", 6);
    const auto t = manifest::decode_inf(b, "c.inf");
    REQUIRE(t.diagnostics.size() == 1);
    CHECK(t.diagnostics[0].message.find("UTF-16 without a byte-order mark") != std::string::npos);
  }
  SUBCASE("an unpaired UTF-16 surrogate becomes U+FFFD, located") {
    const std::string b("\xff\xfek\0=\0\x00\xd8\n\0", 10);
    const auto t = manifest::decode_inf(b, "c.inf");
    REQUIRE(t.diagnostics.size() == 1);
    CHECK(t.diagnostics[0].message.find("UTF-16 unit") != std::string::npos);
  }
  SUBCASE("an unknown code page is a diagnostic, not a crash") {
    const auto t = manifest::decode_inf("[Version]\n", "c.inf", {12345});
    REQUIRE(t.diagnostics.size() == 1);
    CHECK(t.text.empty());
  }
  SUBCASE("many bad lines are capped") {
    std::string s;
    for (int i = 0; i < 100; ++i)
      s += "k = \xff\n";
    const auto t = manifest::decode_inf(s, "c.inf", {65001});
    CHECK(t.diagnostics.size() == 21);
  }
}

namespace {
/// The first note whose message holds `text`, or nullptr.
const sim::Diagnostic *note_with(const IncludeResult &r, std::string_view text) {
  for (const sim::Diagnostic &n : r.notes)
    if (n.message.find(text) != std::string::npos)
      return &n;
  return nullptr;
}
} // namespace

TEST_CASE("inf quirks: Flags written as REG_MULTI_SZ keeps the minifilter, noted") {
  // oarjones/CryptoShield's INF (c0f2a4a): `HKLM,"...\Instances\%Name%","Flags",0x00010000,0x0`.
  // Windows installs it and the instance registers with its Altitude.
  const std::string inf = std::string(minimal_head) +
                          "ServiceType = 2\nLoadOrderGroup = \"FSFilter Activity Monitor\"\n"
                          "AddReg = Svc.AddReg\n[Svc.AddReg]\n"
                          "HKR,\"Instances\",\"DefaultInstance\",0x00000000,\"Svc Instance\"\n"
                          "HKR,\"Instances\\Svc Instance\",\"Altitude\",0x00000000,\"370010\"\n"
                          "HKR,\"Instances\\Svc Instance\",\"Flags\",0x00010000,0x0\n";
  const IncludeResult r = manifest::parse_inf(inf, "f.inf");
  INFO(codes(r.diagnostics));
  CHECK(r.diagnostics.empty());
  REQUIRE(r.drivers.size() == 1);
  REQUIRE(r.drivers[0].instances.size() == 1);
  CHECK(r.drivers[0].instances[0].altitude.text() == "370010");
  CHECK(r.drivers[0].instances[0].flags == 0u);
  CHECK(note_with(r, "written as REG_MULTI_SZ, not REG_DWORD") != nullptr);
}

TEST_CASE("inf quirks: an AddService in a .Services section of no install section is noted") {
  // webstorage119's nullFilter.inf installs [DefaultInstall.ntamd64] and keeps its AddService in
  // [DefaultInstall.Services]: SetupAPI never processes it.
  const std::string orphan = "[Version]\nSignature = \"$Windows NT$\"\n[DefaultInstall.NTamd64]\n"
                             "[DefaultInstall.Services]\nAddService = Svc,,Svc.Service\n"
                             "[Svc.Service]\nStartType = 0\nServiceType = 2\n"
                             "LoadOrderGroup = \"FSFilter Anti-Virus\"\n";
  const IncludeResult r = manifest::parse_inf(orphan, "o.inf");
  CHECK(r.diagnostics.empty());
  CHECK(r.drivers.size() == 1); // read as written
  const sim::Diagnostic *note = note_with(r, "SetupAPI never processes it");
  REQUIRE(note != nullptr);
  CHECK(note->location.line == 4);
  // With its install section present, nothing is said.
  const IncludeResult ok = manifest::parse_inf(
      std::string(orphan).replace(orphan.find("[DefaultInstall.NTamd64]"), 24, "[DefaultInstall]"),
      "ok.inf");
  CHECK(note_with(ok, "SetupAPI never processes it") == nullptr);
}
