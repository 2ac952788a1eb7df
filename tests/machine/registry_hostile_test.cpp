// Registry readers under hostile and odd input (docs/reliability.md#limits,
// docs/machine-import.md#readings): work linear in the input, limits tested at the limit and one
// past it, [-key] and "name"=-, REGEDIT4 data, control sets, and what import writes simulates.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "fltsim/machine/machine_import.hpp"
#include "fltsim/sim/engine.hpp"
#include "machine/machine_support.hpp"

namespace m = fltsim::machine;
namespace sim = fltsim::sim;

namespace {

const std::string kHeader = "Windows Registry Editor Version 5.00\r\n\r\n";
const std::string kCs = "[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001";

std::string select_key(int current) {
  return "[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\r\n\"Current\"=dword:0000000" +
         std::to_string(current) + "\r\n\"Default\"=dword:00000001\r\n\r\n";
}

std::string service(const std::string &cs, const std::string &name, const std::string &values) {
  return "[HKEY_LOCAL_MACHINE\\SYSTEM\\" + cs + "\\Services\\" + name + "]\r\n" + values + "\r\n";
}

std::string minifilter(const std::string &cs, const std::string &name, const std::string &alt) {
  return service(cs, name,
                 "\"Type\"=dword:00000002\r\n\"Start\"=dword:00000003\r\n"
                 "\"Group\"=\"FSFilter Activity Monitor\"\r\n") +
         "[HKEY_LOCAL_MACHINE\\SYSTEM\\" + cs + "\\Services\\" + name +
         "\\Instances]\r\n\"DefaultInstance\"=\"" + name + " Instance\"\r\n\r\n" +
         "[HKEY_LOCAL_MACHINE\\SYSTEM\\" + cs + "\\Services\\" + name + "\\Instances\\" + name +
         " Instance]\r\n\"Altitude\"=\"" + alt + "\"\r\n\"Flags\"=dword:00000000\r\n\r\n";
}

m::MachineImport import_text(const std::string &text, const m::RegistryLimits &limits = {}) {
  m::RegistryRead r = m::read_reg_export(text, "t.reg", limits);
  m::MachineImport out;
  if (!r.errors.empty()) {
    out.errors = r.errors;
    return out;
  }
  out = m::import_machine(r.snapshot);
  out.warnings.insert(out.warnings.begin(), r.warnings.begin(), r.warnings.end());
  return out;
}

bool has_code(const std::vector<sim::Diagnostic> &ds, const std::string &code) {
  for (const auto &d : ds)
    if (d.code == code)
      return true;
  return false;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

TEST_CASE("registry: 100,000 values in one key are read in linear time") {
  std::string text = kHeader + kCs + "\\Services\\Big]\r\n";
  text.reserve(4'000'000);
  for (int i = 0; i < 100000; ++i)
    text += "\"v" + std::to_string(i) + "\"=dword:00000001\r\n";
  const auto t0 = std::chrono::steady_clock::now();
  m::RegistryRead r = m::read_reg_export(text, "big.reg");
  CHECK(seconds_since(t0) < 5.0); // was: never finished (a linear search per value)
  REQUIRE(r.errors.empty());
  const m::RegistryKey *k = r.snapshot.find("ControlSet001\\Services\\Big");
  REQUIRE(k);
  CHECK(k->values.size() == 100000);
  REQUIRE(k->find("V99999"));
  CHECK(k->find("v99999")->number == 1);
}

TEST_CASE("registry: a key with 100,000 continuation lines is read in linear time") {
  std::string text = kHeader + kCs + "\\Services\\X]\r\n\"Blob\"=hex:00";
  for (int i = 0; i < 100000; ++i)
    text += ",\\\r\n  01,02";
  text += "\r\n";
  const auto t0 = std::chrono::steady_clock::now();
  m::RegistryRead r = m::read_reg_export(text, "cont.reg");
  CHECK(seconds_since(t0) < 5.0);
  REQUIRE(r.errors.empty());
  const m::RegistryKey *k = r.snapshot.find("ControlSet001\\Services\\X");
  REQUIRE(k);
  REQUIRE(k->find("Blob"));
  CHECK(k->find("Blob")->bytes.size() == 200001);
}

TEST_CASE("registry: [-key] removes the key and below, \"name\"=- removes the value") {
  // GoneToo shares Gone's name as a prefix: [-...\Gone] removes Gone and its subkeys, not it.
  const std::string text = kHeader + select_key(1) + minifilter("ControlSet001", "Gone", "385100") +
                           minifilter("ControlSet001", "GoneToo", "385150") +
                           minifilter("ControlSet001", "Kept", "385200") +
                           "[-HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Gone]\r\n\r\n" +
                           kCs + "\\Services\\Kept]\r\n\"Tag\"=dword:00000005\r\n\"Tag\"=-\r\n";
  const m::MachineImport imp = import_text(text);
  REQUIRE(imp.scenario);
  CHECK(driver(*imp.scenario, "Gone") == nullptr);
  CHECK(driver(*imp.scenario, "GoneToo") != nullptr);
  const sim::Driver *kept = driver(*imp.scenario, "Kept");
  REQUIRE(kept);
  CHECK_FALSE(kept->tag);
}

TEST_CASE("registry: Select\\Current picks the control set, 0 reads ControlSet001 with a note") {
  const std::string sets =
      minifilter("ControlSet001", "One", "385100") + minifilter("ControlSet002", "Two", "385200");
  SUBCASE("Current = 2") {
    const m::MachineImport imp = import_text(kHeader + select_key(2) + sets);
    REQUIRE(imp.scenario);
    CHECK(imp.control_set == "ControlSet002");
    CHECK(driver(*imp.scenario, "Two"));
    CHECK_FALSE(driver(*imp.scenario, "One"));
  }
  SUBCASE("Current = 0, a setup copy (system.sav)") {
    const m::MachineImport imp = import_text(kHeader + select_key(0) + sets);
    REQUIRE(imp.scenario);
    CHECK(imp.control_set == "ControlSet001");
    bool said = false;
    for (const std::string &n : imp.notes)
      said = said || n.find("Select\\Current = 0") != std::string::npos;
    CHECK(said);
  }
  SUBCASE("several control sets and no Select\\Current: an error naming them") {
    const m::MachineImport imp = import_text(kHeader + sets);
    CHECK_FALSE(imp.scenario);
    REQUIRE(imp.errors.size() == 1);
    CHECK(imp.errors[0].code == "machine-control-set");
    CHECK(imp.errors[0].message.find("ControlSet001, ControlSet002") != std::string::npos);
  }
}

TEST_CASE("registry: disabled (Start 4) filters are kept, legacy Type 1 filters imported") {
  const std::string text =
      kHeader + select_key(1) +
      service("ControlSet001", "OldAv",
              "\"Type\"=dword:00000001\r\n\"Start\"=dword:00000004\r\n"
              "\"Group\"=\"FSFilter Anti-Virus\"\r\n") +
      service("ControlSet001", "OldBackup",
              "\"Type\"=dword:00000001\r\n\"Start\"=dword:00000004\r\n"
              "\"Group\"=\"FSFilter Continuous Backup\"\r\n") +
      service("ControlSet001", "AppID",
              "\"Type\"=dword:00000001\r\n\"Start\"=dword:00000003\r\n"
              "\"DependOnService\"=hex(7):46,00,6c,00,74,00,4d,00,67,00,72,00,00,00,00,00\r\n") +
      minifilter("ControlSet001", "Mon", "385100");
  const m::MachineImport imp = import_text(text);
  REQUIRE(imp.scenario);
  const sim::Driver *av = driver(*imp.scenario, "OldAv");
  REQUIRE(av);
  CHECK(av->kind == sim::DriverKind::legacy);
  CHECK(av->start == sim::StartType::disabled);
  CHECK(driver(*imp.scenario, "AppID") == nullptr);
  bool named = false;
  for (const std::string &n : imp.notes)
    named = named || n.find("service 'AppID' depends on FltMgr") != std::string::npos;
  CHECK(named);
  // The two disabled filters are counted (Mon is demand-start) and said to never load.
  bool disabled_noted = false;
  for (const std::string &n : imp.notes)
    disabled_noted = disabled_noted || n.find("2 filters are disabled (Start = 4): kept in the "
                                              "scenario, they never load") != std::string::npos;
  CHECK(disabled_noted);
  CHECK(sim::simulate(*imp.scenario).input_errors.empty());
}

TEST_CASE("registry: 5,000 instances never produce an unsimulatable scenario") {
  std::string text = kHeader + select_key(1) + minifilter("ControlSet001", "Many", "385100");
  for (int i = 0; i < 5000; ++i)
    text += kCs + "\\Services\\Many\\Instances\\I" + std::to_string(i) + "]\r\n\"Altitude\"=\"" +
            std::to_string(300000 + i) + "\"\r\n";
  text += minifilter("ControlSet001", "Few", "385200");
  const m::MachineImport imp = import_text(text);
  REQUIRE(imp.scenario);
  CHECK(driver(*imp.scenario, "Many") == nullptr);
  CHECK(driver(*imp.scenario, "Few"));
  CHECK(has_code(imp.warnings, "limit"));
  CHECK(sim::simulate(*imp.scenario).input_errors.empty());
}

TEST_CASE("registry: REGEDIT4 strings are 8-bit, UTF-16 data there is refused with a warning") {
  const std::string r4 = "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\r\n"
                         "\"Current\"=dword:00000001\r\n\r\n"
                         "[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\ServiceGroupOrder]"
                         "\r\n";
  // 8-bit, as regedit writes REGEDIT4: "FSFilter Top" "Filter"
  const std::string list8 =
      "\"List\"=hex(7):46,53,46,69,6c,74,65,72,20,54,6f,70,00,46,69,6c,74,65,72,00,00\r\n";
  const std::string list16 = "\"List\"=hex(7):46,00,69,00,6c,00,74,00,65,00,72,00,00,00,00,00\r\n";
  m::RegistryRead a = m::read_reg_export(r4 + list8, "r4.reg");
  const m::RegistryKey *k = a.snapshot.find("ControlSet001\\Control\\ServiceGroupOrder");
  REQUIRE(k);
  REQUIRE(k->find("List"));
  CHECK(k->find("List")->strings == std::vector<std::string>{"FSFilter Top", "Filter"});
  m::RegistryRead b = m::read_reg_export(r4 + list16, "r4.reg");
  k = b.snapshot.find("ControlSet001\\Control\\ServiceGroupOrder");
  REQUIRE(k);
  CHECK_FALSE(k->find("List")); // not 6 one-letter groups
  REQUIRE(b.warnings.size() == 1);
  CHECK(b.warnings[0].code == "reg-bad-value");
  CHECK(b.warnings[0].location.line == 7);
  CHECK(b.warnings[0].message.find("UTF-16LE") != std::string::npos);
}

TEST_CASE("registry: each limit holds at the limit and refuses one past it") {
  // Keys: the file below has 3 keys (Select, ControlSet001\Services\A, ...\A\Instances...).
  const std::string text = kHeader + select_key(1) + minifilter("ControlSet001", "A", "385100");
  const m::RegistryRead all = m::read_reg_export(text, "l.reg");
  REQUIRE(all.errors.empty());
  const std::size_t keys = all.snapshot.key_count();
  const std::size_t values = all.snapshot.value_count();
  SUBCASE("keys") {
    m::RegistryLimits l;
    l.max_keys = keys;
    CHECK(m::read_reg_export(text, "l.reg", l).errors.empty());
    l.max_keys = keys - 1;
    const auto r = m::read_reg_export(text, "l.reg", l);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].code == "limit");
  }
  SUBCASE("values") {
    m::RegistryLimits l;
    l.max_values = values;
    CHECK(m::read_reg_export(text, "l.reg", l).errors.empty());
    l.max_values = values - 1;
    const auto r = m::read_reg_export(text, "l.reg", l);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].code == "limit");
  }
  SUBCASE("values of one key") {
    m::RegistryLimits l;
    l.max_values_per_key = 3; // the service key has Type, Start, Group
    CHECK(m::read_reg_export(text, "l.reg", l).errors.empty());
    l.max_values_per_key = 2;
    const auto r = m::read_reg_export(text, "l.reg", l);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].code == "limit");
    CHECK(r.errors[0].location.line > 0);
  }
  SUBCASE("depth") {
    // ControlSet001\Services\A\Instances\A Instance: 5 deep
    m::RegistryLimits l;
    l.max_depth = 5;
    CHECK(m::read_reg_export(text, "l.reg", l).errors.empty());
    l.max_depth = 4;
    const auto r = m::read_reg_export(text, "l.reg", l);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].code == "limit");
    CHECK(r.errors[0].message.find("nests 5 deep") != std::string::npos);
  }
  SUBCASE("bytes of the file") {
    const std::string file =
        std::string(FLTSIM_SOURCE_ROOT) + "/tests/corpus/machine/system_small.reg";
    m::MachineImportOptions o;
    o.limits.max_bytes = std::filesystem::file_size(file);
    CHECK(m::import_machine_file(file, o).scenario);
    o.limits.max_bytes -= 1;
    const m::MachineImport r = m::import_machine_file(file, o);
    CHECK_FALSE(r.scenario);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].code == "limit");
  }
  SUBCASE("the default depth, 512") {
    std::string deep = kHeader + "[HKEY_LOCAL_MACHINE\\SYSTEM";
    for (int i = 0; i < 512; ++i)
      deep += "\\k";
    CHECK(m::read_reg_export(deep + "]\r\n", "d.reg").errors.empty());
    CHECK(m::read_reg_export(deep + "\\k]\r\n", "d.reg").errors.size() == 1);
  }
}

TEST_CASE("registry: a dependency cycle among filters is broken with a warning") {
  const std::string dep_on_b = "\"DependOnService\"=hex(7):42,00,00,00,00,00\r\n"; // "B"
  const std::string dep_on_a = "\"DependOnService\"=hex(7):41,00,00,00,00,00\r\n"; // "A"
  const std::string text = kHeader + select_key(1) + minifilter("ControlSet001", "A", "385100") +
                           minifilter("ControlSet001", "B", "385200") + kCs + "\\Services\\A]\r\n" +
                           dep_on_b + "\r\n" + kCs + "\\Services\\B]\r\n" + dep_on_a + "\r\n";
  const m::MachineImport imp = import_text(text);
  REQUIRE(imp.scenario);
  CHECK(has_code(imp.warnings, "machine-dependency-cycle"));
  CHECK(sim::simulate(*imp.scenario).input_errors.empty());
}

TEST_CASE("registry: a key is one child however its deeper keys sort (a fuzz_reg_export finding)") {
  m::RegistrySnapshot s;
  s.key("Services\\Gamma");
  s.key("Services\\Gamma x");          // sorts between "gamma" and "gamma\instances"
  s.key("Services\\Gamma\\Instances"); // implies Gamma again: listed once
  CHECK(s.children("Services") == std::vector<std::string>{"Gamma", "Gamma x"});
}

TEST_CASE("registry: Select\\Current must name ControlSet001 to ControlSet999") {
  // 1001 (0x3e9) names no control set Windows writes: refused as machine-bad-select, not read
  // as ControlSet001 (its last three digits), which exists here.
  const std::string text = kHeader +
                           "[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\r\n\"Current\"=dword:000003e9\r\n"
                           "\r\n" +
                           minifilter("ControlSet001", "Mon", "385100");
  const m::MachineImport imp = import_text(text);
  CHECK_FALSE(imp.scenario);
  CHECK(has_code(imp.errors, "machine-bad-select"));
}

TEST_CASE("registry: a Start above 4 is read as no Start, with a warning naming it") {
  const std::string text = kHeader + select_key(1) +
                           service("ControlSet001", "Odd",
                                   "\"Type\"=dword:00000002\r\n\"Start\"=dword:00000005\r\n"
                                   "\"Group\"=\"FSFilter Activity Monitor\"\r\n") +
                           minifilter("ControlSet001", "Mon", "385100");
  const m::MachineImport imp = import_text(text);
  REQUIRE(imp.scenario);
  bool warned = false;
  for (const sim::Diagnostic &w : imp.warnings)
    warned = warned || (w.code == "reg-bad-value" &&
                        w.message.find("service 'Odd' has Start = 5; expected 0 (boot) to 4 "
                                       "(disabled): read as having no Start") != std::string::npos);
  CHECK(warned);
  CHECK(driver(*imp.scenario, "Odd") == nullptr); // no Start: a leftover key, not a filter
  CHECK(driver(*imp.scenario, "Mon") != nullptr);
}

TEST_CASE("registry: Instances under Parameters are found when the service has none of its own") {
  // Some drivers write their instances under Services\<svc>\Parameters\Instances.
  const std::string text = kHeader + select_key(1) +
                           service("ControlSet001", "ParamMon",
                                   "\"Type\"=dword:00000002\r\n\"Start\"=dword:00000000\r\n"
                                   "\"Group\"=\"FSFilter Activity Monitor\"\r\n") +
                           kCs +
                           "\\Services\\ParamMon\\Parameters\\Instances]\r\n"
                           "\"DefaultInstance\"=\"ParamMon Instance\"\r\n\r\n" +
                           kCs +
                           "\\Services\\ParamMon\\Parameters\\Instances\\ParamMon Instance]\r\n"
                           "\"Altitude\"=\"385300\"\r\n\"Flags\"=dword:00000000\r\n\r\n";
  const m::MachineImport imp = import_text(text);
  REQUIRE(imp.scenario);
  const sim::Driver *d = driver(*imp.scenario, "ParamMon");
  REQUIRE(d);
  CHECK(d->kind == sim::DriverKind::minifilter);
  REQUIRE(d->instances.size() == 1);
  CHECK(d->instances[0].altitude.text() == "385300");
}
