// INF reader: every corpus INF (tests/corpus/inf) against its summary.csv, the odd cases
// tests/corpus/README.md lists, and synthetic broken inputs. Expected values come from the corpus
// files and summary.csv, not from the reader.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/manifest/inf_reader.hpp"
#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/groups.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using fltsim::manifest::IncludeResult;
using fltsim::manifest::parse_inf;
namespace sim = fltsim::sim;

namespace {

fs::path inf_dir() {
  return fltsim::test::corpus_root() / "inf";
}

// RFC 4180-style CSV: quoted fields with "" escapes, CRLF or LF.
std::vector<std::vector<std::string>> read_csv(const std::string &text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
        ++i;
      row.push_back(std::move(cell));
      cell.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      cell += c;
    }
  }
  if (!cell.empty() || !row.empty()) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> split(const std::string &s, const std::string &sep) {
  std::vector<std::string> out;
  if (s.empty())
    return out;
  std::size_t b = 0;
  for (;;) {
    const std::size_t e = s.find(sep, b);
    out.push_back(s.substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos)
      break;
    b = e + sep.size();
  }
  return out;
}

// 1-based line and column of the first occurrence of `needle` (ASCII text).
std::pair<int, int> where(const std::string &text, const std::string &needle,
                          std::size_t from = 0) {
  const std::size_t at = text.find(needle, from);
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

std::string join_codes(const IncludeResult &r) {
  std::string s;
  for (const auto &d : r.diagnostics)
    s += sim::format_diagnostic(d) + "\n";
  return s;
}

bool has_code(const IncludeResult &r, const std::string &code) {
  return std::any_of(r.diagnostics.begin(), r.diagnostics.end(),
                     [&](const sim::Diagnostic &d) { return d.code == code; });
}

const sim::Diagnostic *find_code(const IncludeResult &r, const std::string &code) {
  for (const auto &d : r.diagnostics)
    if (d.code == code)
      return &d;
  return nullptr;
}

// A small, valid minifilter INF used as the base of the synthetic cases.
const std::string base_inf = R"([Version]
Signature = "$Windows NT$"
Class     = "ActivityMonitor"

[DefaultInstall.NTamd64.Services]
AddService = %ServiceName%,,Demo.Service

[Demo.Service]
ServiceType    = 2
StartType      = 3
LoadOrderGroup = "FSFilter Activity Monitor"
Dependencies   = FltMgr
AddReg         = Demo.AddRegistry

[Demo.AddRegistry]
HKR,"Instances","DefaultInstance",0x00000000,%DefaultInstance%
HKR,"Instances\"%Instance1.Name%,"Altitude",0x00000000,%Instance1.Altitude%
HKR,"Instances\"%Instance1.Name%,"Flags",0x00010001,%Instance1.Flags%

[Strings]
ServiceName        = "Demo"
DefaultInstance    = "Demo Instance"
Instance1.Name     = "Demo Instance"
Instance1.Altitude = "370031"
Instance1.Flags    = 0x0
)";

std::string replace_all(std::string s, const std::string &from, const std::string &to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

} // namespace

TEST_CASE("inf: every corpus INF loads and matches summary.csv") {
  const auto rows = read_csv(fltsim::test::read_file(inf_dir() / "summary.csv"));
  REQUIRE(rows.size() > 1);
  const std::vector<std::string> header = {
      "file",      "source",         "service",      "service_section", "ServiceType",
      "StartType", "LoadOrderGroup", "Dependencies", "DefaultInstance", "instances"};
  REQUIRE(rows[0] == header);

  std::map<std::string, std::vector<std::vector<std::string>>> by_file;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    REQUIRE(rows[i].size() == header.size());
    by_file[rows[i][0]].push_back(rows[i]);
  }
  // Every .inf in the folder has rows, so "every INF loads" covers the whole folder.
  std::set<std::string> on_disk;
  for (const auto &e : fs::directory_iterator(inf_dir()))
    if (e.path().extension() == ".inf")
      on_disk.insert(e.path().filename().string());
  std::set<std::string> in_csv;
  for (const auto &[f, _] : by_file)
    in_csv.insert(f);
  CHECK(on_disk == in_csv);
  CHECK(on_disk.size() == 22);

  for (const auto &[file, frows] : by_file) {
    const std::string &file_name = file; // clang 14 captures no structured binding
    CAPTURE(file_name);
    const IncludeResult r = fltsim::inputs::load_manifest_file(inf_dir() / file);
    INFO(join_codes(r));
    REQUIRE(r.diagnostics.empty());
    // Each row is one service-install section; rows of one file name the same service (the WDK
    // samples' two install paths), and the reader returns that service once.
    std::set<std::string> services;
    for (const auto &row : frows)
      services.insert(row[2]);
    REQUIRE(r.drivers.size() == services.size());
    for (const auto &row : frows) {
      CAPTURE(row[3]);
      const auto it = std::find_if(r.drivers.begin(), r.drivers.end(),
                                   [&](const sim::Driver &d) { return d.name == row[2]; });
      REQUIRE(it != r.drivers.end());
      const sim::Driver &d = *it;
      CHECK(static_cast<int>(d.start) == std::stoi(row[5]));
      if (row[6].empty())
        CHECK_FALSE(d.group.has_value());
      else
        CHECK(d.group == row[6]);
      CHECK(d.depends_on == split(row[7], ","));
      if (row[8].empty())
        CHECK_FALSE(d.default_instance.has_value());
      else
        CHECK(d.default_instance == row[8]);
      CHECK_FALSE(d.tag.has_value()); // INFs have no Tag
      const auto expected = split(row[9], "; ");
      REQUIRE(d.instances.size() == expected.size());
      for (std::size_t i = 0; i < expected.size(); ++i) {
        // "<name>: alt=<altitude> flags=<0x..>"
        const std::size_t colon = expected[i].rfind(": alt=");
        REQUIRE(colon != std::string::npos);
        const std::string name = expected[i].substr(0, colon);
        const std::string rest = expected[i].substr(colon + 6);
        const std::size_t sp = rest.find(" flags=");
        REQUIRE(sp != std::string::npos);
        CHECK(d.instances[i].name == name);
        CHECK(d.instances[i].altitude.text() == rest.substr(0, sp));
        CHECK(d.instances[i].flags == std::stoul(rest.substr(sp + 7), nullptr, 16));
        CHECK(d.instances[i].location.file == (inf_dir() / file).generic_string());
        CHECK(d.instances[i].location.line > 0);
      }
      // Kind: instances make a minifilter whatever the ServiceType (KSystemInformer, type 1
      // without instances, is a minifilter without instances too: see the INF-only rules of
      // docs/model.md#kind-evidence).
      CHECK(d.kind == sim::DriverKind::minifilter);
      if (!expected.empty())
        CHECK(d.find_default_instance() != nullptr);
      CHECK(d.location.file == (inf_dir() / file).generic_string());
    }
  }
}

TEST_CASE("inf: locations point at the AddService line and the Altitude value") {
  const fs::path p = inf_dir() / "wds-passThrough.inf";
  const std::string text = fltsim::test::read_file(p);
  const IncludeResult r = parse_inf(text, "pt.inf");
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.drivers.size() == 1);
  const sim::Driver &d = r.drivers[0];
  // The first AddService wins (the 10.0...25952 install path comes first in the file).
  const auto [add_line, add_col] = where(text, "AddService");
  CHECK(d.location.file == "pt.inf");
  CHECK(d.location.line == add_line);
  CHECK(d.location.column == add_col);
  REQUIRE(d.instances.size() == 1);
  // HKR,"Parameters\Instances\"%Instance1.Name%,"Altitude",0x00000000,%Instance1.Altitude%
  const std::string needle = "%Instance1.Altitude%";
  const auto [alt_line, alt_col] = where(text, needle);
  CHECK(d.instances[0].location.line == alt_line);
  CHECK(d.instances[0].location.column == alt_col);
}

TEST_CASE("inf: corpus edge cases") {
  auto load = [](const std::string &name) {
    IncludeResult r = fltsim::inputs::load_manifest_file(inf_dir() / name);
    INFO(join_codes(r));
    REQUIRE(r.diagnostics.empty());
    REQUIRE(r.drivers.size() == 1);
    return r.drivers[0];
  };

  SUBCASE("minispy: three instances, default is Top (not the first), all flags 0x1") {
    const sim::Driver d = load("wds-minispy.inf");
    REQUIRE(d.instances.size() == 3);
    CHECK(d.instances.front().name != *d.default_instance);
    const sim::Instance *def = d.find_default_instance();
    REQUIRE(def != nullptr);
    CHECK(def->altitude.text() == "385100");
    for (const auto &i : d.instances)
      CHECK(i.flags == 0x1);
  }
  SUBCASE("swapBuffers: DefaultInstance given as %Instance1.Name%") {
    const sim::Driver d = load("wds-swapBuffers.inf");
    REQUIRE(d.find_default_instance() != nullptr);
    CHECK(d.find_default_instance()->altitude.text() == "141000");
    CHECK(d.group == "FSFilter Encryption");
  }
  SUBCASE("mantech: Replication group, Activity Monitor altitude, boot start") {
    const sim::Driver d = load("mantech-bsr-bsrfsflt.inf");
    CHECK(d.start == sim::StartType::boot); // the comment on the line says demand; the value is 0
    CHECK(d.group == "FSFilter Replication");
    const sim::GroupInfo *g = sim::find_group(*d.group);
    const sim::GroupInfo *am = sim::find_group("FSFilter Activity Monitor");
    REQUIRE(g != nullptr);
    REQUIRE(am != nullptr);
    const sim::Altitude &a = d.find_default_instance()->altitude;
    CHECK(a.text() == "389096");
    const bool in_group =
        sim::Altitude::from_literal(g->low) <= a && a <= sim::Altitude::from_literal(g->high);
    const bool in_am =
        sim::Altitude::from_literal(am->low) <= a && a <= sim::Altitude::from_literal(am->high);
    CHECK_FALSE(in_group);
    CHECK(in_am);
    // The unused "_TODO_" altitude string is not an error: nothing references it.
    const sim::Driver d2 = load("mantech-wdrbd-drbdlock.inf");
    CHECK(d2.group == "FSFilter Replication");
    CHECK(d2.start == sim::StartType::demand);
  }
  SUBCASE("zodiacon: group names kept verbatim though no list knows them") {
    for (const auto &[file, group] : std::vector<std::pair<std::string, std::string>>{
             {"zodiacon-wkp-DelProtect.inf", "FS Undelete filters"},
             {"zodiacon-wkp-FileBackup.inf", "FS Open file backup filters"}}) {
      const sim::Driver d = load(file);
      CHECK(d.group == group);
      CHECK(sim::find_group(group) == nullptr);
      const auto order = sim::default_service_group_order();
      const std::string &name = group; // clang 14 captures no structured binding
      CHECK(std::none_of(order.begin(), order.end(),
                         [&](std::string_view g) { return sim::iequals(g, name); }));
      CHECK(d.kind == sim::DriverKind::minifilter);
    }
  }
  SUBCASE("KSystemInformer: no group, no instance; loading it reports the missing instance") {
    const sim::Driver d = load("systeminformer-KSystemInformer.inf");
    CHECK(d.name == "KSystemInformer");
    CHECK_FALSE(d.group.has_value());
    CHECK(d.instances.empty());
    CHECK_FALSE(d.default_instance.has_value());
    CHECK(d.kind == sim::DriverKind::minifilter);
    sim::Scenario sc;
    sc.drivers.push_back(d);
    sc.events.push_back({sim::Event::Kind::load, d.name, {}});
    const sim::SimResult res = sim::simulate(sc);
    CHECK(res.input_errors.empty());
    CHECK(std::any_of(res.findings.begin(), res.findings.end(), [&](const sim::Finding &f) {
      return f.code == sim::rule::missing_default_instance &&
             std::find(f.drivers.begin(), f.drivers.end(), d.name) != f.drivers.end();
    }));
    REQUIRE(res.drivers.size() == 1);
    CHECK(res.drivers[0].frame == -1);
  }
  SUBCASE("pjsacchet: CRLF file with a leading backslash in the subkey") {
    CHECK(fltsim::test::read_file(inf_dir() / "pjsacchet-Minifilter-Driver.inf").find("\r\n") !=
          std::string::npos);
    const sim::Driver d = load("pjsacchet-Minifilter-Driver.inf");
    CHECK(d.find_default_instance()->altitude.text() == "370030");
  }
  SUBCASE("fmm is the boot-start sample, openedr is system start") {
    CHECK(load("wds-fmm.inf").start == sim::StartType::boot);
    CHECK(load("openedr-edrdrv.inf").start == sim::StartType::system);
  }
}

TEST_CASE("inf: a WDK sample simulates into a frame") {
  for (const auto &[file, alt] : std::vector<std::pair<std::string, std::string>>{
           {"wds-passThrough.inf", "370030"}, {"wds-minispy.inf", "385100"}}) {
    const std::string &file_name = file; // clang 14 captures no structured binding
    CAPTURE(file_name);
    IncludeResult r = fltsim::inputs::load_manifest_file(inf_dir() / file);
    REQUIRE(r.diagnostics.empty());
    REQUIRE(r.drivers.size() == 1);
    sim::Scenario sc;
    sc.title = file;
    sc.drivers.push_back(r.drivers[0]);
    sc.drivers[0].start = sim::StartType::boot;
    const sim::SimResult res = sim::simulate(sc);
    CHECK(res.input_errors.empty());
    REQUIRE(res.drivers.size() == 1);
    CHECK(res.drivers[0].loaded);
    REQUIRE(res.drivers[0].frame >= 0);
    const sim::Frame &f = res.frames[static_cast<std::size_t>(res.drivers[0].frame)];
    REQUIRE(f.filters.size() == 1);
    CHECK(f.filters[0].name == r.drivers[0].name);
    CHECK(f.filters[0].altitude.text() == alt);
    CHECK(f.low <= f.filters[0].altitude);
    CHECK(f.filters[0].altitude <= f.high);
  }
}

TEST_CASE("inf: base synthetic INF parses") {
  const IncludeResult r = parse_inf(base_inf, "demo.inf");
  INFO(join_codes(r));
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.drivers.size() == 1);
  const sim::Driver &d = r.drivers[0];
  CHECK(d.name == "Demo");
  CHECK(d.kind == sim::DriverKind::minifilter);
  CHECK(d.start == sim::StartType::demand);
  CHECK(d.group == "FSFilter Activity Monitor");
  CHECK(d.depends_on == std::vector<std::string>{"FltMgr"});
  REQUIRE(d.instances.size() == 1);
  CHECK(d.instances[0].altitude.text() == "370031");
}

TEST_CASE("inf: undefined %string% is a located diagnostic") {
  const std::string text =
      replace_all(base_inf, "Instance1.Altitude = \"370031\"\n", "Other = \"1\"\n");
  const IncludeResult r = parse_inf(text, "u.inf");
  const sim::Diagnostic *d = find_code(r, "inf-undefined-string");
  REQUIRE(d != nullptr);
  const auto [line, col] = where(text, "%Instance1.Altitude%");
  CHECK(d->location.file == "u.inf");
  CHECK(d->location.line == line);
  CHECK(d->location.column == col);
  CHECK(d->message.find("Instance1.Altitude") != std::string::npos);
  CHECK(r.drivers.empty()); // the driver with the error is not returned
}

TEST_CASE("inf: undefined strings in lines the reader does not interpret are ignored") {
  const std::string text =
      replace_all(base_inf, "Class     = \"ActivityMonitor\"", "Provider = %NoSuchProvider%");
  const IncludeResult r = parse_inf(text, "p.inf");
  CHECK(r.diagnostics.empty());
  CHECK(r.drivers.size() == 1);
}

TEST_CASE("inf: invalid altitude '12a'") {
  const std::string text = replace_all(base_inf, "\"370031\"", "\"12a\"");
  const IncludeResult r = parse_inf(text, "bad.inf");
  REQUIRE(r.diagnostics.size() == 1);
  const sim::Diagnostic &d = r.diagnostics[0];
  CHECK(d.code == "invalid-altitude");
  const auto [line, col] = where(text, "%Instance1.Altitude%");
  CHECK(d.location.line == line);
  CHECK(d.location.column == col);
  CHECK(d.message.find("12a") != std::string::npos);
  CHECK(r.drivers.empty());
}

TEST_CASE("inf: literal altitude, hex flags and HKLM paths") {
  std::string text = replace_all(base_inf, "%Instance1.Altitude%", "\"0370031.50\"");
  text = replace_all(text, "%Instance1.Flags%", "0x00000003");
  text = replace_all(text, "HKR,\"Instances\",",
                     "HKLM,\"SYSTEM\\CurrentControlSet\\Services\\Demo\\Instances\",");
  const IncludeResult r = parse_inf(text, "lit.inf");
  INFO(join_codes(r));
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.drivers.size() == 1);
  const sim::Driver &d = r.drivers[0];
  REQUIRE(d.instances.size() == 1);
  CHECK(d.instances[0].altitude.text() == "0370031.50"); // the text as written (A1, R4)
  CHECK(d.instances[0].flags == 3);
  CHECK(d.default_instance == "Demo Instance");
}

TEST_CASE("inf: every prefix of a real INF (truncated file) is handled") {
  const std::string text = fltsim::test::read_file(inf_dir() / "wds-passThrough.inf");
  const std::size_t strings_at = text.find("[Strings]");
  REQUIRE(strings_at != std::string::npos);
  std::size_t with_driver = 0;
  for (std::size_t n = 0; n <= text.size(); ++n) {
    CAPTURE(n);
    const IncludeResult r = parse_inf(std::string_view(text).substr(0, n), "t.inf");
    // Either a clean driver or at least one diagnostic; never both missing.
    CHECK((!r.diagnostics.empty() || r.drivers.size() == 1));
    if (r.diagnostics.empty())
      ++with_driver;
    if (n == strings_at)
      CHECK(has_code(r, "inf-undefined-string"));
    if (n == 0)
      CHECK(has_code(r, "inf-missing-section"));
  }
  CHECK(with_driver > 0); // the tail of [Strings] holds only unused keys
}

TEST_CASE("inf: UTF-16LE file through decode_text") {
  const std::string utf8 = fltsim::test::read_file(inf_dir() / "wds-minispy.inf");
  std::string utf16 = "\xFF\xFE";
  for (const char c : utf8) { // the corpus INFs are ASCII
    REQUIRE(static_cast<unsigned char>(c) < 0x80);
    utf16 += c;
    utf16 += '\0';
  }
  const auto decoded = fltsim::io::decode_text(utf16, "m16.inf");
  REQUIRE(decoded.text.has_value());
  const IncludeResult a = parse_inf(*decoded.text, "m16.inf");
  const IncludeResult b = parse_inf(utf8, "m16.inf");
  REQUIRE(a.diagnostics.empty());
  REQUIRE(a.drivers.size() == 1);
  REQUIRE(b.drivers.size() == 1);
  CHECK(a.drivers[0].name == b.drivers[0].name);
  REQUIRE(a.drivers[0].instances.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(a.drivers[0].instances[i].altitude == b.drivers[0].instances[i].altitude);
    CHECK(a.drivers[0].instances[i].location.line == b.drivers[0].instances[i].location.line);
  }
  CHECK(a.drivers[0].location.line == b.drivers[0].location.line);
}

TEST_CASE("inf: CRLF gives the same result and locations as LF") {
  const std::string crlf = replace_all(base_inf, "\n", "\r\n");
  const IncludeResult a = parse_inf(crlf, "c.inf");
  const IncludeResult b = parse_inf(base_inf, "c.inf");
  REQUIRE(a.diagnostics.empty());
  REQUIRE(a.drivers.size() == 1);
  CHECK(a.drivers[0].group == "FSFilter Activity Monitor"); // no stray '\r'
  CHECK(a.drivers[0].instances[0].name == "Demo Instance");
  CHECK(a.drivers[0].location.line == b.drivers[0].location.line);
  CHECK(a.drivers[0].location.column == b.drivers[0].location.column);
  CHECK(a.drivers[0].instances[0].location.column == b.drivers[0].instances[0].location.column);
  // A bad altitude in the CRLF file is reported at the same place as in the LF file.
  const IncludeResult c = parse_inf(replace_all(crlf, "\"370031\"", "\"1.2.3\""), "c.inf");
  const IncludeResult e = parse_inf(replace_all(base_inf, "\"370031\"", "\"1.2.3\""), "c.inf");
  REQUIRE(c.diagnostics.size() == 1);
  REQUIRE(e.diagnostics.size() == 1);
  CHECK(c.diagnostics[0].location.line == e.diagnostics[0].location.line);
  CHECK(c.diagnostics[0].location.column == e.diagnostics[0].location.column);
}

TEST_CASE("inf: syntax: case, comments, quotes, continuation, %% and DIRIDs") {
  const std::string text = R"(; leading comment
[VERSION]
signature = "$Windows NT$"

[defaultinstall.SERVICES]
addservice = %svc%,0x800,SVC.install ; comment; with "quotes"

[svc.INSTALL]
ServiceBinary  = %13%\%svc%.sys     ;%windir%\system32\drivers\
servicetype    = 0x2
STARTTYPE      = 0                  ; boot
loadordergroup = %grp%
dependencies   = FltMgr, +SomeGroup, %dep%
AddReg         = A, \
                 B

[A]
HKR,"Parameters\Instances","DefaultInstance",,"Inst ""Q"""
[b]
HKR,"Parameters\Instances\Inst ""Q""",%altname%,0,%ALT%
HKR,"Parameters\Instances\Inst ""Q""","Flags",0x10001,1

[strings]
SVC     = "My;Svc"
Grp     = "100%% FSFilter"
Dep     = Other Service
AltName = "Altitude"
alt     = 385100
)";
  const IncludeResult r = parse_inf(text, "s.inf");
  INFO(join_codes(r));
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.drivers.size() == 1);
  const sim::Driver &d = r.drivers[0];
  CHECK(d.name == "My;Svc");
  CHECK(d.start == sim::StartType::boot);
  CHECK(d.group == "100%% FSFilter"); // [Strings] values are not substituted again
  CHECK(d.depends_on == std::vector<std::string>{"FltMgr", "Other Service"});
  CHECK(d.default_instance == "Inst \"Q\"");
  REQUIRE(d.instances.size() == 1);
  CHECK(d.instances[0].name == "Inst \"Q\"");
  CHECK(d.instances[0].altitude.text() == "385100");
  CHECK(d.instances[0].flags == 1);
}

TEST_CASE("inf: %% in an interpreted field is a literal percent sign, a lone % is an error") {
  SUBCASE("%%") {
    const IncludeResult r = parse_inf(
        replace_all(base_inf, "\"FSFilter Activity Monitor\"", "\"100%% group\""), "x.inf");
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].group == "100% group");
  }
  SUBCASE("lone %") {
    const std::string text =
        replace_all(base_inf, "\"FSFilter Activity Monitor\"", "\"100% group\"");
    const IncludeResult r = parse_inf(text, "x.inf");
    const sim::Diagnostic *d = find_code(r, "inf-syntax");
    REQUIRE(d != nullptr);
    CHECK(d->location.line == where(text, "100%").first);
  }
}

TEST_CASE("inf: structural problems are diagnostics with codes") {
  SUBCASE("no AddService") {
    const IncludeResult r =
        parse_inf(replace_all(base_inf, "AddService = %ServiceName%,,Demo.Service", ""), "n.inf");
    CHECK(has_code(r, "inf-no-service"));
    CHECK(r.drivers.empty());
  }
  SUBCASE("missing service-install section") {
    const std::string text = replace_all(base_inf, ",,Demo.Service", ",,Nowhere.Service");
    const IncludeResult r = parse_inf(text, "m.inf");
    const sim::Diagnostic *d = find_code(r, "inf-missing-section");
    REQUIRE(d != nullptr);
    CHECK(d->location.line == where(text, "Nowhere.Service").first);
    CHECK(d->location.column == where(text, "Nowhere.Service").second);
    CHECK(r.drivers.empty());
  }
  SUBCASE("AddService without install section") {
    const IncludeResult r = parse_inf(replace_all(base_inf, ",,Demo.Service", ",0x2"), "m.inf");
    CHECK(has_code(r, "inf-missing-section"));
  }
  SUBCASE("missing AddReg section") {
    const IncludeResult r = parse_inf(replace_all(base_inf, "AddReg         = Demo.AddRegistry",
                                                  "AddReg         = Demo.AddRegistry, Gone.AddReg"),
                                      "m.inf");
    CHECK(has_code(r, "inf-missing-section"));
  }
  SUBCASE("no [Version]") {
    const IncludeResult r = parse_inf(replace_all(base_inf, "[Version]", "[NotVersion]"), "v.inf");
    CHECK(has_code(r, "inf-missing-section"));
  }
  SUBCASE("unterminated quote: ended at the end of the line, as SetupAPI reads it, noted") {
    // Wine's and ReactOS' setupapi parser.c (`quotes_state`) end it there and install the INF.
    const std::string text = replace_all(base_inf, "LoadOrderGroup = \"FSFilter Activity Monitor\"",
                                         "LoadOrderGroup = \"FSFilter Activity Monitor");
    const IncludeResult r = parse_inf(text, "q.inf");
    CHECK_FALSE(has_code(r, "inf-syntax"));
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].group == "FSFilter Activity Monitor");
    const auto note = std::find_if(r.notes.begin(), r.notes.end(), [](const sim::Diagnostic &n) {
      return n.message.find("not closed on this line") != std::string::npos;
    });
    REQUIRE(note != r.notes.end());
    CHECK(note->location.line == where(text, "LoadOrderGroup").first);
    CHECK(note->location.column == where(text, "\"FSFilter Activity Monitor").second);
  }
  SUBCASE("section header without ']'") {
    const IncludeResult r =
        parse_inf(replace_all(base_inf, "[Demo.Service]", "[Demo.Service"), "h.inf");
    CHECK(has_code(r, "inf-syntax"));
    CHECK(has_code(r, "inf-missing-section")); // and then the section does not exist
  }
  SUBCASE("bad StartType") {
    const IncludeResult r =
        parse_inf(replace_all(base_inf, "StartType      = 3", "StartType      = 7"), "b.inf");
    CHECK(has_code(r, "inf-bad-value"));
    CHECK(r.drivers.empty());
  }
  SUBCASE("missing StartType") {
    const IncludeResult r = parse_inf(replace_all(base_inf, "StartType      = 3", ""), "b.inf");
    CHECK(has_code(r, "inf-missing-value"));
  }
  SUBCASE("Flags without Altitude") {
    const IncludeResult r =
        parse_inf(replace_all(base_inf,
                              "HKR,\"Instances\\\"%Instance1.Name%,\"Altitude\",0x00000000,"
                              "%Instance1.Altitude%\n",
                              ""),
                  "f.inf");
    CHECK(has_code(r, "inf-missing-value"));
  }
  SUBCASE("Altitude written as a DWORD") {
    const IncludeResult r = parse_inf(
        replace_all(base_inf, "\"Altitude\",0x00000000", "\"Altitude\",0x00010001"), "d.inf");
    CHECK(has_code(r, "inf-bad-value"));
  }
}

TEST_CASE("inf: duplicate services") {
  SUBCASE("same settings from two install paths: one driver, no diagnostic") {
    const std::string text =
        base_inf + "\n[DefaultInstall.NTarm64.Services]\nAddService = Demo,,Demo.Service\n";
    const IncludeResult r = parse_inf(text, "d.inf");
    CHECK(r.diagnostics.empty());
    CHECK(r.drivers.size() == 1);
  }
  SUBCASE("different settings: the first is kept, the others diagnosed") {
    const std::string text =
        base_inf + "\n[DefaultInstall.NTarm64.Services]\nAddService = demo,,Other.Service\n"
                   "[Other.Service]\nServiceType = 2\nStartType = 0\n"
                   "LoadOrderGroup = \"FSFilter Activity Monitor\"\nAddReg = Demo.AddRegistry\n";
    const IncludeResult r = parse_inf(text, "d.inf");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "inf-duplicate-service");
    CHECK(r.diagnostics[0].location.line == where(text, "AddService = demo").first);
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].start == sim::StartType::demand);
  }
}

TEST_CASE("inf: driver kind") {
  SUBCASE("file system driver with a group and no instances is a legacy filter") {
    const std::string text = R"([Version]
Signature = "$Windows NT$"
[DefaultInstall.Services]
AddService = OldAv,,OldAv.Service
[OldAv.Service]
ServiceType = 2
StartType = 0
LoadOrderGroup = "FSFilter Anti-Virus"
)";
    const IncludeResult r = parse_inf(text, "l.inf");
    REQUIRE(r.diagnostics.empty());
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].kind == sim::DriverKind::legacy);
    CHECK(r.drivers[0].instances.empty());
  }
  SUBCASE("kernel driver with instances is a minifilter") {
    const IncludeResult r =
        parse_inf(replace_all(base_inf, "ServiceType    = 2", "ServiceType    = 1"), "k.inf");
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].kind == sim::DriverKind::minifilter);
  }
  SUBCASE("a user-mode service next to the driver is skipped") {
    const std::string text =
        base_inf + "\n[DefaultInstall.NTamd64.Services]\nAddService = Helper,,Helper.Service\n"
                   "[Helper.Service]\nServiceType = 0x10\nStartType = 2\n";
    const IncludeResult r = parse_inf(text, "u.inf");
    CHECK(r.diagnostics.empty());
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].name == "Demo");
  }
}

TEST_CASE("inf: garbage and adversarial input never throws or hangs") {
  const std::vector<std::string> inputs = {
      "",
      "\n\n\n",
      "[",
      "]]]",
      "\"",
      "%",
      "%%%%",
      "[Version]\n[DefaultInstall.Services]\nAddService=\"",
      "[Version]\n[DefaultInstall.Services]\nAddService=a,,b\n[b]\nAddReg=b\n",
      "[Version]\n[x.Services]\nAddService=,,\n",
      "\\\n\\\n\\",
      std::string("[Version]\n\0\0\0", 13),
      "\xEF\xBB\xBF[Version]\n",
      "[Version]\n[DefaultInstall.Services]\nAddService=%a%,,%b%\n[Strings]\na=\"x\"\nb=c\n[c]\n",
  };
  for (const std::string &in : inputs) {
    CAPTURE(in);
    CHECK_NOTHROW((void)parse_inf(in, "g.inf"));
  }
  // Self-referencing AddReg (b lists itself) ends; so does a section referenced from thousands
  // of services (bounded work, reported as a limit).
  std::string big = "[Version]\n[DefaultInstall.Services]\n";
  for (int i = 0; i < 3000; ++i)
    big += "AddService = S" + std::to_string(i) + ",,Svc\n";
  big += "[Svc]\nServiceType=2\nStartType=3\nAddReg=R\n[R]\n";
  for (int i = 0; i < 3000; ++i)
    big += "HKR,\"Instances\\I\",\"Altitude\",0,\"370000\"\n";
  const auto t0 = std::chrono::steady_clock::now();
  const IncludeResult r = parse_inf(big, "big.inf");
  const auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(secs < 20.0);
  CHECK(has_code(r, "limit"));
}
