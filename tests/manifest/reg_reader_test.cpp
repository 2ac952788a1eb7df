// .reg reader: the two corpus service keys (tests/corpus/registry), the facts their comment
// headers state, and synthetic broken inputs.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/manifest/reg_reader.hpp"
#include "fltsim/sim/engine.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using fltsim::manifest::IncludeResult;
using fltsim::manifest::parse_reg;
namespace sim = fltsim::sim;

namespace {

fs::path reg_dir() {
  return fltsim::test::corpus_root() / "registry";
}

std::pair<int, int> where(const std::string &text, const std::string &needle) {
  const std::size_t at = text.find(needle);
  REQUIRE(at != std::string::npos);
  int line = 1;
  std::size_t bol = 0;
  for (std::size_t i = 0; i < at; ++i)
    if (text[i] == '\n') {
      ++line;
      bol = i + 1;
    }
  return {line, static_cast<int>(at - bol) + 1};
}

std::string diags(const IncludeResult &r) {
  std::string s;
  for (const auto &d : r.diagnostics)
    s += sim::format_diagnostic(d) + "\n";
  return s;
}

const sim::Diagnostic *find_code(const IncludeResult &r, const std::string &code) {
  for (const auto &d : r.diagnostics)
    if (d.code == code)
      return &d;
  return nullptr;
}

std::string replace_all(std::string s, const std::string &from, const std::string &to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// UTF-16LE with BOM, as regedit writes version 5 exports.
std::string to_utf16le(const std::string &ascii) {
  std::string out = "\xFF\xFE";
  for (const char c : ascii) {
    REQUIRE(static_cast<unsigned char>(c) < 0x80);
    out += c;
    out += '\0';
  }
  return out;
}

sim::Driver only_driver(const IncludeResult &r) {
  INFO(diags(r));
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.drivers.size() == 1);
  return r.drivers[0];
}

const std::string base_reg = "Windows Registry Editor Version 5.00\n"
                             "\n"
                             "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Demo]\n"
                             "\"Start\"=dword:00000003\n"
                             "\"Type\"=dword:00000002\n"
                             "\"Group\"=\"FSFilter Activity Monitor\"\n"
                             "\n"
                             "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Demo\\"
                             "Instances]\n"
                             "\"DefaultInstance\"=\"Demo Instance\"\n"
                             "\n"
                             "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Demo\\"
                             "Instances\\Demo Instance]\n"
                             "\"Altitude\"=\"370031\"\n"
                             "\"Flags\"=dword:00000000\n";

} // namespace

TEST_CASE("reg: wimmount service key") {
  const fs::path p = reg_dir() / "wimmount-service.reg";
  const std::string text = fltsim::test::read_file(p);
  const sim::Driver d = only_driver(fltsim::inputs::load_manifest_file(p));
  CHECK(d.name == "WIMMount");
  CHECK(d.kind == sim::DriverKind::minifilter);
  CHECK(d.group == "FSFilter Infrastructure");
  CHECK(d.tag == 1u);
  CHECK(d.start == sim::StartType::demand);
  CHECK(d.depends_on.empty());
  CHECK(d.default_instance == "WIMMount");
  REQUIRE(d.instances.size() == 1);
  CHECK(d.instances[0].name == "WIMMount");
  CHECK(d.instances[0].altitude.text() == "180700");
  CHECK(d.instances[0].flags == 0u);
  CHECK(d.find_default_instance() == &d.instances[0]);
  // Locations: the service key line and the Altitude value.
  CHECK(d.location.file == p.generic_string());
  CHECK(d.location.line ==
        where(text, "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\WIMMount]").first);
  const auto [line, col] = where(text, "\"180700\"");
  CHECK(d.instances[0].location.line == line);
  CHECK(d.instances[0].location.column == col);
}

TEST_CASE("reg: procmon boot-logging key (Type 1, offline hive, ControlSet001)") {
  const sim::Driver d = only_driver(
      fltsim::inputs::load_manifest_file(reg_dir() / "procmon23-bootlogging-service.reg"));
  CHECK(d.name == "PROCMON23");
  CHECK(d.kind == sim::DriverKind::minifilter); // Type 1, yet a minifilter: it has instances
  CHECK(d.start == sim::StartType::boot);
  CHECK(d.group == "FSFilter Activity Monitor");
  CHECK_FALSE(d.tag.has_value());
  CHECK(d.default_instance == "Process Monitor 23 Instance");
  REQUIRE(d.instances.size() == 1);
  CHECK(d.instances[0].altitude.text() == "385200");
}

TEST_CASE("reg: parsed samples simulate") {
  sim::Scenario sc;
  for (const char *f : {"procmon23-bootlogging-service.reg", "wimmount-service.reg"})
    sc.drivers.push_back(only_driver(fltsim::inputs::load_manifest_file(reg_dir() / f)));
  sc.events.push_back({sim::Event::Kind::load, "WIMMount", {}});
  const sim::SimResult r = sim::simulate(sc);
  CHECK(r.input_errors.empty());
  REQUIRE(r.drivers.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CAPTURE(sc.drivers[i].name);
    CHECK(r.drivers[i].loaded);
    REQUIRE(r.drivers[i].frame >= 0);
    const sim::Frame &f = r.frames[static_cast<std::size_t>(r.drivers[i].frame)];
    const auto it = std::find_if(f.filters.begin(), f.filters.end(),
                                 [&](const sim::FrameFilter &x) { return x.driver == int(i); });
    REQUIRE(it != f.filters.end());
    CHECK(it->altitude == sc.drivers[i].instances[0].altitude);
  }
}

TEST_CASE("reg: UTF-16LE export through decode_text equals the UTF-8 read") {
  for (const char *f : {"wimmount-service.reg", "procmon23-bootlogging-service.reg"}) {
    CAPTURE(f);
    const std::string utf8 = fltsim::test::read_file(reg_dir() / f);
    const auto decoded = fltsim::io::decode_text(to_utf16le(utf8), f);
    REQUIRE(decoded.text.has_value());
    const sim::Driver a = only_driver(parse_reg(*decoded.text, f));
    const sim::Driver b = only_driver(parse_reg(utf8, f));
    CHECK(a.name == b.name);
    CHECK(a.group == b.group);
    CHECK(a.start == b.start);
    CHECK(a.tag == b.tag);
    CHECK(a.instances[0].altitude == b.instances[0].altitude);
    CHECK(a.instances[0].location.line == b.instances[0].location.line);
    CHECK(a.instances[0].location.column == b.instances[0].location.column);
  }
}

TEST_CASE("reg: CRLF, HKLM abbreviation, Parameters\\Instances, escapes, DependOnService") {
  std::string text = "Windows Registry Editor Version 5.00\r\n"
                     "\r\n"
                     "; a comment\r\n"
                     "[HKLM\\SYSTEM\\ControlSet002\\services\\demo]\r\n"
                     "\"Start\"=dword:00000000\r\n"
                     "\"Type\"=dword:00000002\r\n"
                     "\"Group\"=\"Odd \\\"quoted\\\" \\\\ group\"\r\n"
                     "\"ImagePath\"=hex(2):73,00,79,00,\\\r\n"
                     "  73,00,00,00\r\n"
                     // "FltMgr", "Other" as REG_MULTI_SZ, continued over three lines
                     "\"DependOnService\"=hex(7):46,00,6c,00,74,00,4d,00,67,00,72,00,00,00,\\\r\n"
                     "  4f,00,74,00,68,00,65,00,\\\r\n"
                     "  72,00,00,00,00,00\r\n"
                     "\"Tag\"=dword:0000000a\r\n"
                     "\r\n"
                     "[HKLM\\SYSTEM\\ControlSet002\\services\\demo\\Parameters\\Instances]\r\n"
                     "\"DefaultInstance\"=\"B\"\r\n"
                     "[HKLM\\SYSTEM\\ControlSet002\\services\\demo\\Parameters\\Instances\\A]\r\n"
                     "\"Altitude\"=\"370100\"\r\n"
                     "\"Flags\"=dword:00000001\r\n"
                     "[HKLM\\SYSTEM\\ControlSet002\\services\\demo\\Parameters\\Instances\\B]\r\n"
                     "\"Altitude\"=\"370200.5\"\r\n"
                     "\"Flags\"=hex(4):02,00,00,00\r\n";
  const sim::Driver d = only_driver(parse_reg(text, "x.reg"));
  CHECK(d.name == "demo");
  CHECK(d.start == sim::StartType::boot);
  CHECK(d.group == "Odd \"quoted\" \\ group");
  CHECK(d.depends_on == std::vector<std::string>{"FltMgr", "Other"});
  CHECK(d.tag == 10u);
  REQUIRE(d.instances.size() == 2);
  CHECK(d.instances[0].name == "A");
  CHECK(d.instances[0].flags == 1u);
  CHECK(d.instances[1].altitude.text() == "370200.5");
  CHECK(d.instances[1].flags == 2u);
  REQUIRE(d.find_default_instance() != nullptr);
  CHECK(d.find_default_instance()->name == "B");
  // Locations are the same as in the LF version of the file.
  const sim::Driver lf = only_driver(parse_reg(replace_all(text, "\r\n", "\n"), "x.reg"));
  CHECK(lf.instances[1].location.line == d.instances[1].location.line);
  CHECK(lf.instances[1].location.column == d.instances[1].location.column);
  CHECK(d.instances[1].location.line == where(text, "\"370200.5\"").first);
}

TEST_CASE("reg: REGEDIT4 stores hex(7) as 8-bit text") {
  const std::string text = "REGEDIT4\n\n"
                           "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Old]\n"
                           "\"Start\"=dword:00000001\n"
                           "\"Type\"=dword:00000002\n"
                           "\"Group\"=\"FSFilter Anti-Virus\"\n"
                           "\"DependOnService\"=hex(7):46,6c,74,4d,67,72,00,00\n";
  const sim::Driver d = only_driver(parse_reg(text, "old.reg"));
  CHECK(d.depends_on == std::vector<std::string>{"FltMgr"});
  // Type 2 in an FSFilter group, a FltMgr dependency but no instance: a legacy filter, the
  // ambiguity noted (docs/model.md#k6), as `fltsim import` reads it.
  CHECK(d.kind == sim::DriverKind::legacy);
  CHECK(d.start == sim::StartType::system);
  const IncludeResult r = parse_reg(text, "old.reg");
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].message.find("service 'Old' is in the filter group") != std::string::npos);
}

TEST_CASE("reg: invalid altitude '12a' is located at the value") {
  const std::string text = replace_all(base_reg, "\"370031\"", "\"12a\"");
  const IncludeResult r = parse_reg(text, "bad.reg");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "invalid-altitude");
  const auto [line, col] = where(text, "\"12a\"");
  CHECK(r.diagnostics[0].location.file == "bad.reg");
  CHECK(r.diagnostics[0].location.line == line);
  CHECK(r.diagnostics[0].location.column == col);
  CHECK(r.drivers.empty());
}

TEST_CASE("reg: problems are diagnostics with codes") {
  SUBCASE("no header") {
    const IncludeResult r =
        parse_reg(replace_all(base_reg, "Windows Registry Editor Version 5.00", "hello"), "h.reg");
    REQUIRE(find_code(r, "reg-missing-header") != nullptr);
    CHECK(find_code(r, "reg-missing-header")->location.line == 1);
    CHECK(r.drivers.empty());
  }
  SUBCASE("no service key") {
    const IncludeResult r = parse_reg(
        "Windows Registry Editor Version 5.00\n[HKEY_CURRENT_USER\\Software\\X]\n\"a\"=\"b\"\n",
        "n.reg");
    CHECK(find_code(r, "reg-no-service") != nullptr);
  }
  SUBCASE("no Start: a leftover key, left out as import leaves it out (K2)") {
    const IncludeResult r =
        parse_reg(replace_all(base_reg, "\"Start\"=dword:00000003\n", ""), "s.reg");
    const sim::Diagnostic *d = find_code(r, "reg-no-service");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("service 'Demo' (docs/model.md#kind-evidence, K2)") != std::string::npos);
    CHECK(r.drivers.empty());
  }
  SUBCASE("Start out of range") {
    const IncludeResult r =
        parse_reg(replace_all(base_reg, "dword:00000003", "dword:00000009"), "s.reg");
    CHECK(find_code(r, "reg-bad-value") != nullptr);
  }
  SUBCASE("bad dword") {
    const std::string text = replace_all(base_reg, "dword:00000003", "dword:xyz");
    const IncludeResult r = parse_reg(text, "s.reg");
    const sim::Diagnostic *d = find_code(r, "reg-syntax");
    REQUIRE(d != nullptr);
    CHECK(d->location.line == where(text, "dword:xyz").first);
    CHECK(d->location.column == where(text, "dword:xyz").second);
  }
  SUBCASE("Altitude as a dword") {
    const IncludeResult r = parse_reg(
        replace_all(base_reg, "\"Altitude\"=\"370031\"", "\"Altitude\"=dword:00000001"), "a.reg");
    CHECK(find_code(r, "reg-bad-value") != nullptr);
  }
  SUBCASE("Flags without Altitude") {
    const IncludeResult r =
        parse_reg(replace_all(base_reg, "\"Altitude\"=\"370031\"\n", ""), "a.reg");
    CHECK(find_code(r, "reg-missing-value") != nullptr);
  }
  SUBCASE("unterminated value name and stray text") {
    const IncludeResult r = parse_reg(base_reg + "\"Broken=dword:1\nwhat is this\n", "b.reg");
    CHECK(r.diagnostics.size() == 2);
    CHECK(find_code(r, "reg-syntax") != nullptr);
  }
  SUBCASE("unrelated values are not validated") {
    const IncludeResult r =
        parse_reg(base_reg + "\"Whatever\"=hex(2):zz,\n\"Other\"=strange\n", "u.reg");
    CHECK(r.diagnostics.empty());
    CHECK(r.drivers.size() == 1);
  }
}

TEST_CASE("reg: later writes, deletions and control sets") {
  SUBCASE("a later value replaces an earlier one; '-' deletes") {
    const std::string text = base_reg +
                             "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Demo]\n"
                             "\"Start\"=dword:00000000\n"
                             "\"Group\"=-\n";
    const sim::Driver d = only_driver(parse_reg(text, "w.reg"));
    CHECK(d.start == sim::StartType::boot);
    CHECK_FALSE(d.group.has_value());
  }
  SUBCASE("[-key] removes an instance") {
    const std::string text = base_reg +
                             "[-HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Demo\\"
                             "Instances\\Demo Instance]\n";
    const sim::Driver d = only_driver(parse_reg(text, "w.reg"));
    CHECK(d.instances.empty());
    CHECK(d.find_default_instance() == nullptr);
  }
  SUBCASE("the same service in two control sets") {
    const std::string same = base_reg + replace_all(base_reg.substr(base_reg.find('[')),
                                                    "CurrentControlSet", "ControlSet001");
    CHECK(only_driver(parse_reg(same, "c.reg")).name == "Demo");
    const std::size_t second = same.find("ControlSet001");
    std::string changed = same;
    changed.replace(changed.find("dword:00000003", second), 14, "dword:00000000");
    const IncludeResult r = parse_reg(changed, "c.reg");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "reg-duplicate-service");
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].start == sim::StartType::demand); // the first is kept
  }
  SUBCASE("user-mode services are skipped") {
    const std::string text = base_reg +
                             "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Helper]\n"
                             "\"Start\"=dword:00000002\n\"Type\"=dword:00000010\n";
    const sim::Driver d = only_driver(parse_reg(text, "u.reg"));
    CHECK(d.name == "Demo");
  }
}

TEST_CASE("reg: every prefix of a real export (truncated file) is handled") {
  const std::string text = fltsim::test::read_file(reg_dir() / "wimmount-service.reg");
  const std::size_t alt = text.find("\"Altitude\"=\"180700\"");
  REQUIRE(alt != std::string::npos);
  for (std::size_t n = 0; n <= text.size(); ++n) {
    CAPTURE(n);
    IncludeResult r;
    CHECK_NOTHROW(r = parse_reg(std::string_view(text).substr(0, n), "t.reg"));
    CHECK((!r.diagnostics.empty() || r.drivers.size() == 1));
    // Cut inside the altitude string: the value is broken, and that is reported.
    if (n == alt + 14)
      CHECK(find_code(r, "reg-syntax") != nullptr);
  }
}

TEST_CASE("reg: garbage never throws") {
  for (const std::string &in :
       {std::string(), std::string("REGEDIT4"), std::string("REGEDIT4\n["),
        std::string("REGEDIT4\n[HKLM\\SYSTEM\\CurrentControlSet\\Services\\X]\n\"Start\"=\\\n"),
        std::string("REGEDIT4\n[HKLM\\SYSTEM\\CurrentControlSet\\Services\\X]\n\"DependOnService\""
                    "=hex(7):4"),
        std::string("Windows Registry Editor Version 5.00\n[HKLM\\A\\ControlSet\\Services\\X]\n"),
        std::string("Windows Registry Editor Version 5.00\n[HKLM\\SYSTEM\\CurrentControlSet\\"
                    "Services\\X]\n\"DependOnService\"=hex(7):00,d8,00,00\n"),
        std::string("\xEF\xBB\xBFREGEDIT4\n"), std::string("\"a\"=\"b\"\n"),
        std::string("REGEDIT4\n\"a\"=\"b\"\n")}) {
    CAPTURE(in);
    CHECK_NOTHROW((void)parse_reg(in, "g.reg"));
  }
}
