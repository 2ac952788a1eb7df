// `fltsim plan` end to end through run_cli: exit codes, the stable JSON names, the explaining text
// and the emitted files (docs/planner.md).
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/sim/engine.hpp"
#include "support.hpp"

using namespace fltsim;
namespace fs = std::filesystem;

namespace {
using Run = test::CliRun;
using test::run;
using test::scenario;
std::string write(const test::TempDir &dir, const std::string &name, const std::string &text) {
  const fs::path p = dir.path() / name;
  REQUIRE_FALSE(io::write_file_atomic(p, text));
  return p.string();
}
std::string read(const fs::path &p) {
  auto t = io::read_text_file(p);
  REQUIRE(t.text.has_value());
  return *t.text;
}

const char *kInfeasible = R"(scenario: legacy filter loading after the minifilter above it
drivers:
  - {name: FileInfo, group: FSFilter Bottom, start: boot, altitude: 45000}
  - {name: AVMiniFilter, group: FSFilter Anti-Virus, start: boot, altitude: 328000}
  - {name: EncryptionLegacy, kind: legacy, group: FSFilter Encryption, start: system}
)";
} // namespace

TEST_SUITE("cli plan") {

  TEST_CASE("the blog scenario: exit 0 and the JSON names of the issue") {
    const Run r = run({"plan", scenario("blog_example_a.yaml"), "--format", "json"});
    CHECK(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j.at("status") == "fixed");
    CHECK(j.at("verified") == true);
    REQUIRE(j.at("dummies").size() == 1);
    const auto &d = j["dummies"][0];
    for (const char *key : {"name", "group", "start", "altitude", "tag"})
      CHECK_MESSAGE(d.contains(key), key);
    CHECK(d["start"] == "boot");
    CHECK(d["tag"].is_null());
    CHECK(d["altitude"].is_string());
    CHECK(d["after"] == "EncryptionLegacy");
    CHECK(d["before"] == "AVLegacy");
    CHECK(d["opens_frame"] == true);
    REQUIRE(d["moves"].size() == 1);
    CHECK(d["moves"][0]["filter"] == "AVMiniFilter");
    CHECK(j.at("alternatives").is_array());
    CHECK(j.at("alternatives").empty());
    REQUIRE(j.at("before_findings").size() == 1);
    CHECK(j["before_findings"][0]["code"] == "altitude-inversion");
    CHECK(j.at("after_findings").empty());
    CHECK(j["verification"]["orders_total"] == 2);
    CHECK(j["verification"]["exhaustive"] == true);
  }

  TEST_CASE("an ordered scenario exits 0 with no dummies") {
    const Run r = run({"plan", scenario("blog_example_b_fixed.yaml"), "-f", "json"});
    CHECK(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["status"] == "ordered");
    CHECK(j["dummies"].empty());
    CHECK(j["verified"] == true);
  }

  TEST_CASE("an infeasible scenario exits 1 with an explanation and verified alternatives") {
    test::TempDir dir;
    const std::string in = write(dir, "infeasible.yaml", kInfeasible);
    const Run r = run({"plan", in, "--format", "json"});
    CHECK(r.code == 1);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["status"] == "infeasible");
    CHECK(j["verified"] == false);
    CHECK(j["dummies"].empty());
    CHECK(j["explanation"].get<std::string>().find("EncryptionLegacy") != std::string::npos);
    REQUIRE_FALSE(j["alternatives"].empty());
    for (const auto &a : j["alternatives"]) {
      CHECK(a["verified"] == true);
      CHECK(a["description"].is_string());
      REQUIRE_FALSE(a["edits"].empty());
      for (const auto &e : a["edits"]) {
        CHECK(e.contains("driver"));
        CHECK(e["field"].is_string());
        CHECK(e["value"].is_string());
      }
    }
    // Text output: the paragraph and the alternatives.
    const Run t = run({"plan", in});
    CHECK(t.code == 1);
    CHECK(t.out.find("Status: infeasible") != std::string::npos);
    CHECK(t.out.find("Alternatives") != std::string::npos);
    CHECK(t.out.find("edit: EncryptionLegacy.start = boot") != std::string::npos);
  }

  TEST_CASE("text output walks the stacks and names the frame the dummy opens") {
    const Run r = run({"plan", scenario("blog_example_a.yaml")});
    CHECK(r.code == 0);
    for (const char *s : {"Status: fixed", "Before", "After", "FSFilter Compression",
                          "opens on top of EncryptionLegacy",
                          "Moves AVMiniFilter (328000) from Frame 0", "Verification"})
      CHECK_MESSAGE(r.out.find(s) != std::string::npos, s);
  }

  TEST_CASE("--own-altitude") {
    const Run r =
        run({"plan", scenario("blog_example_a.yaml"), "-f", "json", "--own-altitude", "265000"});
    CHECK(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    const std::string a = j["dummies"][0]["altitude"];
    CHECK(a.rfind("265000.", 0) == 0);
    CHECK(j["dummies"][0]["own_altitude"] == true);
    CHECK(j["dummies"][0]["group"] == "FSFilter Content Screener");

    // Repeatable, one value each, and FILE may follow it.
    const Run two = run({"plan", "--own-altitude", "265000", "--own-altitude", "161300",
                         scenario("blog_example_a.yaml"), "-f", "json"});
    CHECK(two.code == 0);
    CHECK(nlohmann::json::parse(two.out)["dummies"][0]["own_altitude"] == true);

    const Run bad = run({"plan", scenario("blog_example_a.yaml"), "--own-altitude", "32x"});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("--own-altitude") != std::string::npos);
  }

  TEST_CASE("--emit-scenario and --emit-inf write files that load back clean") {
    test::TempDir dir;
    const fs::path out = dir.path() / "fixed.yaml";
    const fs::path infs = dir.path() / "inf";
    const Run r = run({"plan", scenario("blog_example_a.yaml"), "--emit-scenario", out.string(),
                       "--emit-inf", infs.string()});
    CHECK(r.code == 0);
    manifest::ScenarioLoad back = inputs::load_scenario_file(out);
    REQUIRE(back.scenario.has_value());
    const sim::SimResult sr = sim::simulate(*back.scenario);
    CHECK(sr.findings.empty());
    CHECK(sim::explore_tie_orders(*back.scenario).order_dependent == false);
    CHECK(read(out).rfind("# Generated by `fltsim plan", 0) == 0);
    // The emitted scenario plans as ordered.
    const Run again = run({"plan", out.string(), "-f", "json"});
    CHECK(again.code == 0);
    CHECK(nlohmann::json::parse(again.out)["status"] == "ordered");
    // One INF per dummy.
    std::size_t n = 0;
    for (const auto &e : fs::directory_iterator(infs)) {
      ++n;
      CHECK(e.path().extension() == ".inf");
      CHECK(read(e.path()).find("LoadOrderGroup") != std::string::npos);
    }
    CHECK(n == 1);
  }

  TEST_CASE("the input is never overwritten, usage and input errors exit 2") {
    test::TempDir dir;
    const std::string in = write(dir, "a.yaml", read(scenario("blog_example_a.yaml")));
    const std::string before = read(in);
    const Run r = run({"plan", in, "--emit-scenario", in});
    CHECK(r.code == 2);
    CHECK(read(in) == before);

    CHECK(run({"plan", (dir.path() / "missing.yaml").string()}).code == 2);
    CHECK(run({"plan", in, "--format", "xml"}).code == 2);
    CHECK(run({"plan"}).code == 2);
    const std::string broken = write(dir, "broken.yaml", "drivers: [");
    CHECK(run({"plan", broken}).code == 2);
  }

  TEST_CASE("a budget too small for a verdict exits 1 and reports no plan") {
    const Run r =
        run({"plan", scenario("blog_example_a.yaml"), "-f", "json", "--max-simulations", "2"});
    CHECK(r.code == 1);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["status"] == "budget-exhausted");
    CHECK(j["verified"] == false);
    CHECK(j["dummies"].empty());
  }

  TEST_CASE("infeasible plans write no scenario") {
    test::TempDir dir;
    const std::string in = write(dir, "infeasible.yaml", kInfeasible);
    const fs::path out = dir.path() / "out.yaml";
    const Run r = run({"plan", in, "--emit-scenario", out.string()});
    CHECK(r.code == 1);
    CHECK_FALSE(fs::exists(out));
    CHECK(r.err.find("not written") != std::string::npos);
  }

} // TEST_SUITE
