#include <doctest/doctest.h>

#include <fstream>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/sim/engine.hpp"
#include "random_scenario.hpp"
#include "support.hpp"

using namespace fltsim;
using manifest::parse_scenario_yaml;

namespace {
const sim::Diagnostic *find_code(const manifest::ScenarioLoad &l, const std::string &code) {
  for (const auto &d : l.diagnostics)
    if (d.code == code)
      return &d;
  return nullptr;
}
void write(const std::filesystem::path &p, const std::string &text) {
  std::ofstream(p, std::ios::binary) << text;
}
} // namespace

TEST_SUITE("scenario yaml") {
  TEST_CASE("a minimal scenario reads with defaults: one instance at the altitude") {
    const auto l =
        parse_scenario_yaml("scenario: t\n"
                            "drivers:\n"
                            "  - {name: A, group: FSFilter Top, start: 0, altitude: 0400000.10}\n",
                            "t.yaml");
    REQUIRE(l.scenario);
    const sim::Driver &d = l.scenario->drivers.at(0);
    CHECK(d.kind == sim::DriverKind::minifilter);
    CHECK(d.start == sim::StartType::boot);
    REQUIRE(d.instances.size() == 1);
    CHECK(d.instances[0].altitude.text() == "0400000.10"); // the scalar text is taken verbatim
    CHECK(d.find_default_instance() == &d.instances[0]);
    CHECK(d.location.line == 3);
    CHECK(d.location.column == 5);
  }

  TEST_CASE("unknown keys are errors with file:line:column (a typo must not change the stack)") {
    const auto l = parse_scenario_yaml("scenario: t\n"
                                       "drivers:\n"
                                       "  - name: A\n"
                                       "    start: boot\n"
                                       "    altitud: 45000\n",
                                       "typo.yaml");
    CHECK_FALSE(l.scenario);
    const sim::Diagnostic *d = find_code(l, "unknown-key");
    REQUIRE(d);
    CHECK(d->location.file == "typo.yaml");
    CHECK(d->location.line == 5);
    CHECK(d->location.column == 5);
    CHECK(d->message.find("altitud") != std::string::npos);
    CHECK(d->message.find("altitude") != std::string::npos); // lists what was expected
  }

  TEST_CASE("wrong values and types are located diagnostics") {
    struct Case {
      const char *yaml;
      const char *code;
      int line;
    };
    const Case cases[] = {
        {"drivers:\n  - {name: A, start: sometimes, altitude: 1}\n", "wrong-value", 2},
        {"drivers:\n  - {name: A, start: boot, kind: filter, altitude: 1}\n", "wrong-value", 2},
        {"drivers:\n  - {name: A, start: boot, altitude: 12a}\n", "invalid-altitude", 2},
        {"drivers:\n  - {name: A, start: boot, tag: -1, altitude: 1}\n", "wrong-type", 2},
        {"drivers:\n  - {name: A, start: boot}\n", "missing-key", 2},
        {"drivers:\n  - {start: boot, altitude: 5}\n", "missing-key", 2},
        {"drivers:\n  - {name: A, altitude: 5}\n", "missing-key", 2},
        {"drivers:\n  - {name: L, kind: legacy, start: boot, altitude: 5}\n", "legacy-altitude", 2},
        {"drivers: {name: A}\n", "wrong-type", 1},
        {"drivers:\n  - name: A\n    name: B\n    start: boot\n    altitude: 1\n", "duplicate-key",
         3},
        {"drivers:\n  - {name: A, start: boot, altitude: 5, instances: [{name: I, altitude: 6}]}\n",
         "altitude-mismatch", 2},
        {"events:\n  - start: A\n", "unknown-key", 2},
        {"scenario: [unclosed\n", "yaml-syntax", 2},
        {"- just a list\n", "wrong-type", 1},
    };
    for (const Case &c : cases) {
      CAPTURE(c.yaml);
      const auto l = parse_scenario_yaml(c.yaml, "x.yaml");
      CHECK_FALSE(l.scenario);
      const sim::Diagnostic *d = find_code(l, c.code);
      REQUIRE(d);
      CHECK(d->location.line == c.line);
    }
  }

  TEST_CASE("absurd nesting is refused before yaml-cpp recurses on it") {
    const std::string deep = "scenario: " + std::string(5000, '[') + std::string(5000, ']') + "\n";
    const auto l = parse_scenario_yaml(deep, "deep.yaml");
    CHECK_FALSE(l.scenario);
    REQUIRE(find_code(l, "limit"));
  }

  TEST_CASE("include pulls per-driver manifests relative to the scenario file") {
    test::TempDir dir;
    std::filesystem::create_directories(dir.path() / "drivers");
    write(dir.path() / "drivers" / "av.yaml",
          "name: AVMiniFilter\ngroup: FSFilter Anti-Virus\nstart: boot\naltitude: 328000\n");
    write(dir.path() / "drivers" / "bad.yaml", "name: Bad\nstart: boot\naltitude: x1\n");
    write(
        dir.path() / "ok.yaml",
        "scenario: inc\ninclude: [drivers/av.yaml]\n"
        "drivers:\n  - {name: EncLegacy, kind: legacy, group: FSFilter Encryption, start: boot}\n");
    write(dir.path() / "broken.yaml",
          "scenario: inc\ninclude:\n  - drivers/bad.yaml\n  - drivers/none.yaml\n");
    const auto ok = inputs::load_scenario_file(dir.path() / "ok.yaml");
    REQUIRE(ok.scenario);
    REQUIRE(ok.scenario->drivers.size() == 2);
    CHECK(ok.scenario->drivers[1].name == "AVMiniFilter");
    CHECK(ok.scenario->drivers[1].location.file.find("av.yaml") != std::string::npos);
    const auto broken = inputs::load_scenario_file(dir.path() / "broken.yaml");
    CHECK_FALSE(broken.scenario);
    REQUIRE(broken.diagnostics.size() == 2);
    CHECK(broken.diagnostics[0].location.file.find("bad.yaml") != std::string::npos);
    CHECK(broken.diagnostics[0].location.line == 3);
    CHECK(broken.diagnostics[1].code == "include");
    CHECK(broken.diagnostics[1].location.line == 4);
  }

  TEST_CASE("the writer's output reads back to the same stack") {
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
      CAPTURE(seed);
      sim::Scenario sc = test::random_scenario(seed);
      sc.group_order_list["FSFilter Anti-Virus"] = {3, 1};
      const std::string text = manifest::write_scenario_yaml(sc, "generated\nfor a test");
      const auto back = parse_scenario_yaml(text, "rt.yaml");
      for (const auto &d : back.diagnostics)
        INFO(sim::format_diagnostic(d));
      REQUIRE(back.scenario);
      CHECK(back.scenario->drivers.size() == sc.drivers.size());
      CHECK(sim::outcome_signature(sim::simulate(*back.scenario)) ==
            sim::outcome_signature(sim::simulate(sc)));
    }
  }

  TEST_CASE("a per-driver manifest with a misspelt key gives an error and no driver") {
    // Otherwise `fltsim check` would analyse the driver without the misspelt field.
    const auto r = manifest::parse_driver_yaml(
        "name: AV\nstart: boot\ngruop: FSFilter Anti-Virus\naltitude: 328000\n", "av.yaml");
    CHECK(r.drivers.empty());
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "unknown-key");
    CHECK(r.diagnostics[0].location.line == 3);
    CHECK(r.diagnostics[0].location.column == 1);
  }

  TEST_CASE("the writer keeps strings with control characters and edge blanks exactly") {
    // fuzz_scenario_yaml found a title ending in "\r" that lost it on every write: yaml-cpp wrote
    // it raw in a plain scalar, where "\r\n" reads as one line break.
    const std::vector<std::string> awkward = {"ends in CR\r",   "CR\rinside",      "tab\there",
                                              " leading blank", "trailing blank ", "bell\a",
                                              "DEL\x7f",        "line\nbreak",     "\r"};
    for (const std::string &s : awkward) {
      CAPTURE(s);
      sim::Scenario sc;
      sc.title = s;
      sc.volumes = {s};
      sim::Driver d;
      d.name = "Drv" + std::to_string(s.size());
      d.group = s;
      d.kind = sim::DriverKind::minifilter;
      d.start = sim::StartType::boot;
      d.instances.push_back({s, *sim::Altitude::parse("45000"), 0, {s}, {}});
      d.default_instance = s;
      sc.drivers.push_back(d);
      const std::string text = manifest::write_scenario_yaml(sc, "comment with a \r in it");
      CHECK(text.find("# comment with a ? in it\n") == 0);
      const auto back = parse_scenario_yaml(text, "rt.yaml");
      for (const auto &diag : back.diagnostics)
        INFO(sim::format_diagnostic(diag));
      REQUIRE(back.scenario);
      CHECK(back.scenario->title == s);
      CHECK(back.scenario->volumes == sc.volumes);
      REQUIRE(back.scenario->drivers.size() == 1);
      CHECK(back.scenario->drivers[0].group == s);
      REQUIRE(back.scenario->drivers[0].instances.size() == 1);
      CHECK(back.scenario->drivers[0].instances[0].name == s);
      CHECK(back.scenario->drivers[0].instances[0].attach == std::vector<std::string>{s});
      CHECK(manifest::write_scenario_yaml(*back.scenario, "comment with a \r in it") == text);
    }
  }

  TEST_CASE("files: encodings, size limits and atomic writes") {
    test::TempDir dir;
    // UTF-16LE with BOM decodes to the same scenario as UTF-8.
    const std::string utf8 =
        "scenario: t\r\ndrivers:\r\n  - {name: A, start: boot, altitude: 5}\r\n";
    std::string utf16 = "\xFF\xFE";
    for (char c : utf8) {
      utf16 += c;
      utf16 += '\0';
    }
    write(dir.path() / "u16.yaml", utf16);
    const auto l16 = inputs::load_scenario_file(dir.path() / "u16.yaml");
    REQUIRE(l16.scenario);
    CHECK(l16.scenario->drivers[0].name == "A");
    // Not "nul.yaml": NUL is a device name on Windows (the suite runs under wine too).
    write(dir.path() / "nul-byte.yaml", std::string("scenario: a\0b\n", 14));
    const auto lnul = inputs::load_scenario_file(dir.path() / "nul-byte.yaml");
    REQUIRE(lnul.diagnostics.size() == 1);
    CHECK(lnul.diagnostics[0].code == "encoding");
    CHECK(lnul.diagnostics[0].location.line == 1);
    write(dir.path() / "latin1.yaml", "scenario: caf\xE9\n");
    CHECK(inputs::load_scenario_file(dir.path() / "latin1.yaml").diagnostics.at(0).code ==
          "encoding");
    CHECK(inputs::load_scenario_file(dir.path() / "missing.yaml").diagnostics.at(0).code == "io");

    const auto out = dir.path() / "out.yaml";
    CHECK_FALSE(io::write_file_atomic(out, "first\n").has_value());
    CHECK_FALSE(io::write_file_atomic(out, "second\n").has_value());
    std::ifstream in(out);
    std::string content((std::istreambuf_iterator<char>(in)), {});
    CHECK(content == "second\n");
    // Refuses to overwrite an input, also through a different spelling of the path.
    const auto err = io::write_file_atomic(dir.path() / "." / "out.yaml", "x", {out});
    CHECK(err.has_value());
    // No temporary files are left behind.
    int files = 0;
    for (const auto &e : std::filesystem::directory_iterator(dir.path()))
      files += e.path().filename().string().find(".tmp-") != std::string::npos;
    CHECK(files == 0);
    // Writing into a directory that does not exist fails cleanly.
    CHECK(io::write_file_atomic(dir.path() / "nope" / "x.yaml", "x").has_value());
  }
}
