// Every limit of docs/reliability.md ("Limits") that the IO layer, the scenario YAML reader and
// the INF reader enforce, tested twice: exactly at the limit (read) and one past it (refused with
// a `limit` diagnostic, or the documented partial result). The readers' limits that are
// configurable (manifest::Limits) are tested with small values, so the comparison is what is
// tested, and once at their default value where that is cheap.
#include <doctest/doctest.h>

#include <fstream>

#include "fltsim/io/files.hpp"
#include "fltsim/manifest/inf_reader.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"
#include "support.hpp"

using namespace fltsim;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> codes(const std::vector<sim::Diagnostic> &ds) {
  std::vector<std::string> out;
  for (const sim::Diagnostic &d : ds)
    out.push_back(d.code);
  return out;
}

bool has_limit(const std::vector<sim::Diagnostic> &ds) {
  for (const sim::Diagnostic &d : ds)
    if (d.code == "limit")
      return true;
  return false;
}

int limit_line(const std::vector<sim::Diagnostic> &ds) {
  for (const sim::Diagnostic &d : ds)
    if (d.code == "limit")
      return d.location.line;
  return 0;
}

std::string drivers_yaml(std::size_t n) {
  std::string y = "drivers:\n";
  for (std::size_t i = 0; i < n; ++i)
    y += "  - {name: d" + std::to_string(i) +
         ", start: boot, altitude: " + std::to_string(100000 + i) + "}\n";
  return y;
}

std::string instances_yaml(std::size_t n) {
  std::string y = "drivers:\n  - name: A\n    start: boot\n    instances:\n";
  for (std::size_t i = 0; i < n; ++i)
    y += "      - {name: i" + std::to_string(i) + ", altitude: " + std::to_string(100000 + i) +
         "}\n";
  return y;
}

std::string events_yaml(std::size_t n) {
  std::string y = "drivers:\n  - {name: A, start: demand, altitude: 100000}\nevents:\n";
  for (std::size_t i = 0; i < n; ++i)
    y += i % 2 == 0 ? "  - load: A\n" : "  - unload: A\n";
  return y;
}

std::string nested_flow(std::size_t depth) {
  return "volumes: " + std::string(depth, '[') + "a" + std::string(depth, ']') + "\n";
}

std::string errors_yaml(std::size_t n) {
  std::string y = "drivers:\n";
  for (std::size_t i = 0; i < n; ++i)
    y += "  - {name: d" + std::to_string(i) + ", start: boot, altitude: x}\n";
  return y;
}

// A minimal minifilter INF with `n` instances.
std::string inf_with_instances(std::size_t n) {
  std::string s = "[Version]\nSignature = \"$WINDOWS NT$\"\nClass = \"ActivityMonitor\"\n"
                  "ClassGuid = {b86dff51-a31e-4bac-b3cf-e8cfe75c9fc2}\nProvider = %P%\n"
                  "DriverVer = 01/01/2024,1.0.0.0\n\n"
                  "[DefaultInstall.NTamd64]\nOptionDesc = %D%\nCopyFiles = F.Files\n\n"
                  "[DefaultInstall.NTamd64.Services]\nAddService = %S%,,F.Service\n\n"
                  "[F.Service]\nServiceType = 2\nStartType = 3\nErrorControl = 1\n"
                  "ServiceBinary = %12%\\f.sys\nLoadOrderGroup = \"FSFilter Activity Monitor\"\n"
                  "AddReg = F.AddReg\n\n[F.AddReg]\n"
                  "HKR,\"Instances\",\"DefaultInstance\",0x00000000,\"I0\"\n";
  for (std::size_t i = 0; i < n; ++i) {
    const std::string k = "HKR,\"Instances\\I" + std::to_string(i) + "\"";
    s += k + ",\"Altitude\",0x00000000,\"" + std::to_string(360000 + i) + "\"\n";
    s += k + ",\"Flags\",0x00010001,0x0\n";
  }
  s += "\n[F.Files]\nf.sys\n\n[Strings]\nP = \"p\"\nD = \"d\"\nS = \"f\"\n";
  return s;
}

} // namespace

TEST_SUITE("limits") {
  TEST_CASE("scenario YAML: drivers at the limit and one past") {
    manifest::Limits l;
    l.max_drivers = 50;
    CHECK(manifest::parse_scenario_yaml(drivers_yaml(50), "d.yaml", {}, l).diagnostics.empty());
    const auto over = manifest::parse_scenario_yaml(drivers_yaml(51), "d.yaml", {}, l);
    CHECK(codes(over.diagnostics) == std::vector<std::string>{"limit"});
    CHECK_FALSE(over.scenario);
  }

  TEST_CASE("scenario YAML: instances of one driver at the default limit (1024) and one past") {
    const manifest::Limits l;
    REQUIRE(l.max_instances_per_driver == 1024);
    CHECK(manifest::parse_scenario_yaml(instances_yaml(1024), "i.yaml").diagnostics.empty());
    const auto over = manifest::parse_scenario_yaml(instances_yaml(1025), "i.yaml");
    CHECK(codes(over.diagnostics) == std::vector<std::string>{"limit"});
  }

  TEST_CASE("scenario YAML: instances in all at the limit and one past") {
    manifest::Limits l;
    l.max_total_instances = 10;
    CHECK(manifest::parse_scenario_yaml(instances_yaml(10), "t.yaml", {}, l).diagnostics.empty());
    CHECK(codes(manifest::parse_scenario_yaml(instances_yaml(11), "t.yaml", {}, l).diagnostics) ==
          std::vector<std::string>{"limit"});
  }

  TEST_CASE("scenario YAML: events at the limit and one past") {
    manifest::Limits l;
    l.max_events = 6;
    CHECK(manifest::parse_scenario_yaml(events_yaml(6), "e.yaml", {}, l).diagnostics.empty());
    CHECK(codes(manifest::parse_scenario_yaml(events_yaml(7), "e.yaml", {}, l).diagnostics) ==
          std::vector<std::string>{"limit"});
  }

  TEST_CASE("scenario YAML: flow nesting at the default limit (64) and one past") {
    const manifest::Limits l;
    REQUIRE(l.max_nesting == 64);
    CHECK_FALSE(has_limit(manifest::parse_scenario_yaml(nested_flow(64), "n.yaml").diagnostics));
    CHECK(has_limit(manifest::parse_scenario_yaml(nested_flow(65), "n.yaml").diagnostics));
  }

  TEST_CASE("scenario YAML: entries at the limit and one past") {
    // drivers_yaml(n) has 1 + 4n entries (the `drivers` key; each driver's item and 3 keys
    // with their values counted as entries of the map): find the count by growing the limit.
    manifest::Limits l;
    std::size_t at = 0;
    for (std::size_t lim = 1; lim < 2000 && !at; ++lim) {
      l.max_yaml_entries = lim;
      if (!has_limit(manifest::parse_scenario_yaml(drivers_yaml(10), "y.yaml", {}, l).diagnostics))
        at = lim;
    }
    REQUIRE(at > 0);
    l.max_yaml_entries = at;
    CHECK(manifest::parse_scenario_yaml(drivers_yaml(10), "y.yaml", {}, l).diagnostics.empty());
    l.max_yaml_entries = at - 1;
    CHECK(has_limit(manifest::parse_scenario_yaml(drivers_yaml(10), "y.yaml", {}, l).diagnostics));
    // The estimate is proportional: twice the drivers need about twice the entries.
    l.max_yaml_entries = at;
    CHECK(has_limit(manifest::parse_scenario_yaml(drivers_yaml(20), "y.yaml", {}, l).diagnostics));
  }

  TEST_CASE("scenario YAML: diagnostics at the limit and one past") {
    // At most max_diagnostics diagnostics: max - 1 errors are listed in full; one error more and
    // the last diagnostic says too-many-errors instead.
    manifest::Limits l;
    l.max_diagnostics = 20;
    const auto at = manifest::parse_scenario_yaml(errors_yaml(19), "m.yaml", {}, l);
    CHECK(at.diagnostics.size() == 19);
    CHECK(at.diagnostics.back().code == "invalid-altitude");
    const auto over = manifest::parse_scenario_yaml(errors_yaml(20), "m.yaml", {}, l);
    CHECK(over.diagnostics.size() == 20);
    CHECK(over.diagnostics.back().code == "too-many-errors");
  }

  TEST_CASE("INF: instances of one driver at the limit (1024) and one past") {
    const auto at = manifest::parse_inf(inf_with_instances(1024), "at.inf");
    CHECK_FALSE(has_limit(at.diagnostics));
    REQUIRE(at.drivers.size() == 1);
    CHECK(at.drivers[0].instances.size() == 1024);
    const auto over = manifest::parse_inf(inf_with_instances(1025), "over.inf");
    CHECK(has_limit(over.diagnostics));
    CHECK(over.drivers.empty());
  }

  TEST_CASE("INF: sections at the limit (100,000) and one past") {
    auto sections = [](std::size_t n) {
      std::string s = "[Version]\nSignature = \"$WINDOWS NT$\"\n";
      for (std::size_t i = 1; i < n; ++i)
        s += "[S" + std::to_string(i) + "]\n";
      return s;
    };
    CHECK_FALSE(has_limit(manifest::parse_inf(sections(100000), "at.inf").diagnostics));
    const auto over = manifest::parse_inf(sections(100001), "over.inf");
    REQUIRE(has_limit(over.diagnostics));
    CHECK(limit_line(over.diagnostics) == 100002); // the 100,001st header
  }

  TEST_CASE("INF: [Strings] keys at the limit (1,000,000) and one past") {
    auto strings = [](std::size_t n) {
      std::string s = "[Version]\nSignature = \"$WINDOWS NT$\"\n[Strings]\n";
      s.reserve(n * 12);
      for (std::size_t i = 0; i < n; ++i)
        s += "k" + std::to_string(i) + "=v\n";
      return s;
    };
    CHECK_FALSE(has_limit(manifest::parse_inf(strings(1000000), "at.inf").diagnostics));
    const auto over = manifest::parse_inf(strings(1000001), "over.inf");
    REQUIRE(has_limit(over.diagnostics));
    CHECK(limit_line(over.diagnostics) == 1000004); // the 1,000,001st key
  }

  TEST_CASE("IO: input size at the limit and one past, from a file and from a pipe") {
    test::TempDir dir;
    const fs::path f = dir.path() / "f.yaml";
    const std::size_t limit = 4096;
    { std::ofstream(f, std::ios::binary) << std::string(limit, 'x'); }
    sim::Diagnostic err;
    CHECK(io::read_input_bytes(f, err, limit).value_or("").size() == limit);
    { std::ofstream(f, std::ios::binary | std::ios::app) << "y"; }
    CHECK_FALSE(io::read_input_bytes(f, err, limit));
    CHECK(err.code == "limit");
    // The same through a pipe (nothing to stat: the limit counts the bytes read).
    for (std::size_t n : {limit, limit + 1}) {
      int p[2];
      REQUIRE(::pipe(p) == 0);
      const std::string bytes(n, 'z');
      REQUIRE(::write(p[1], bytes.data(), bytes.size()) == static_cast<ssize_t>(n));
      ::close(p[1]);
      io::RunInputs run; // a run of its own: the pipe is forgotten after it
      sim::Diagnostic e;
      const auto got = io::read_input_bytes("/dev/fd/" + std::to_string(p[0]), e, limit);
      CHECK(got.has_value() == (n == limit));
      if (!got)
        CHECK(e.code == "limit");
      ::close(p[0]);
    }
  }

  TEST_CASE("IO: the default input size limit is 64 MiB") {
    CHECK(io::max_input_bytes == 64u * 1024u * 1024u);
  }
}
