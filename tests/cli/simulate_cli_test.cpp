#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "support.hpp"

using namespace fltsim;

namespace {
using Run = test::CliRun;
using test::run;
using test::scenario;
} // namespace

TEST_SUITE("cli simulate") {
  TEST_CASE("the blog scenario exits 1 (an error finding) and its JSON has the stable names") {
    const Run r = run({"simulate", scenario("blog_example_a.yaml"), "--format", "json", "--trace"});
    CHECK(r.code == 1);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j.at("scenario").get<std::string>().find("blog example A") != std::string::npos);
    CHECK(j.at("load_order").at(0) == "FltMgr");
    REQUIRE(j.at("frames").size() == 1);
    CHECK(j["frames"][0]["id"] == 0);
    CHECK(j["frames"][0]["low"] == "0");
    CHECK(j["frames"][0]["high"] == "329998.99");
    const auto &filters = j["frames"][0]["filters"];
    REQUIRE(filters.size() == 3);
    CHECK(filters[0]["name"] == "FileInfo"); // ascending by altitude
    CHECK(filters[2]["name"] == "AVMiniFilter");
    CHECK(j["stack"][0] == nlohmann::json({{"kind", "frame"}, {"frame", 0}}));
    CHECK(j["stack"][1]["kind"] == "legacy");
    CHECK(j["stack"][1]["name"] == "EncryptionLegacy");
    CHECK(j["stack"][1]["altitude"] == "149998.99");
    REQUIRE(j["findings"].size() == 1);
    CHECK(j["findings"][0]["code"] == "altitude-inversion");
    CHECK(j["findings"][0]["severity"] == "error");
    CHECK(j["findings"][0]["drivers"] == nlohmann::json({"AVMiniFilter", "EncryptionLegacy"}));
    CHECK(j["trace"][0]["step"] == 1);
    CHECK(j["trace"][0]["event"] == "fltmgr-start");
  }

  TEST_CASE("a clean scenario exits 0, fltmc and fltkd layouts") {
    const Run fltmc = run({"simulate", scenario("blog_example_b_fixed.yaml"), "-f", "fltmc"});
    CHECK(fltmc.code == 0);
    std::istringstream lines(fltmc.out);
    std::string header, rule, first, second, third;
    std::getline(lines, header);
    std::getline(lines, rule);
    std::getline(lines, first);
    std::getline(lines, second);
    std::getline(lines, third);
    CHECK(header.rfind("Filter Name", 0) == 0);
    CHECK(rule.rfind("------------------------------  -------------", 0) == 0);
    // Legacy rows first (top of the stack first), then minifilters by descending altitude.
    CHECK(first.rfind("AVLegacy", 0) == 0);
    CHECK(first.find("<Legacy>") != std::string::npos);
    CHECK(second.rfind("EncryptionLegacy", 0) == 0);
    CHECK(third.rfind("AVMiniFilter", 0) == 0);
    CHECK(third.substr(third.size() - 1) == "1"); // Frame 1

    const Run fltkd = run({"simulate", scenario("blog_example_b_fixed.yaml"), "-f", "fltkd"});
    CHECK(fltkd.code == 0);
    const auto f1 = fltkd.out.find("\"Frame 1\" \"149998.99 to 329998.99\"");
    const auto f0 = fltkd.out.find("\"Frame 0\" \"0 to 149998.99\"");
    REQUIRE(f1 != std::string::npos);
    REQUIRE(f0 != std::string::npos);
    CHECK(f1 < f0); // newest frame first
  }

  TEST_CASE("bad input and bad usage exit 2 with a located message") {
    test::TempDir dir;
    const auto bad = dir.path() / "bad.yaml";
    std::ofstream(bad) << "drivers:\n  - {name: A, start: boot, altitude: 1.2.3}\n";
    const Run r = run({"simulate", bad.string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("bad.yaml:2:") != std::string::npos);
    CHECK(r.err.find("error[invalid-altitude]") != std::string::npos);
    CHECK(run({"simulate", scenario("features/dependency_cycle.yaml")}).code == 2);
    CHECK(run({"simulate", (dir.path() / "missing.yaml").string()}).code == 2);
    CHECK(run({"simulate", scenario("blog_example_a.yaml"), "--format", "xml"}).code == 2);
    CHECK(run({"frobnicate"}).code == 2);
    CHECK(run({}).code == 2);
  }

  TEST_CASE("--help and --version work") {
    const Run help = run({"--help"});
    CHECK(help.code == 0);
    CHECK(help.out.find("simulate") != std::string::npos);
    const Run sub = run({"simulate", "--help"});
    CHECK(sub.code == 0);
    CHECK(sub.out.find("--format") != std::string::npos);
    const Run v = run({"--version"});
    CHECK(v.code == 0);
    CHECK(v.out.find("fltsim ") == 0);
  }
}

TEST_CASE("simulate a driver INF: its drivers are the scenario, as if a scenario included it") {
  const std::string inf = (test::corpus_root() / "inf" / "wds-nullFilter.inf").string();
  const Run r = run({"simulate", inf, "--format", "json"});
  INFO(r.err);
  CHECK(r.code == 0);
  // NullFilter's INF: a demand-start minifilter at 370020 (tests/corpus/inf/summary.csv).
  const auto j = nlohmann::json::parse(r.out);
  bool found = false;
  for (const auto &d : j.at("drivers"))
    if (d.at("name") == "NullFilter") {
      found = true;
      CHECK(d.at("kind") == "minifilter");
      CHECK(d.at("start") == "demand");
    }
  CHECK(found);
  // A whole machine's registry is not a scenario: import makes one.
  const std::string reg = (test::corpus_root() / "machine" / "system_small.reg").string();
  const Run m = run({"simulate", reg});
  CHECK(m.code == 2);
  CHECK(m.err.find("fltsim import " + reg) != std::string::npos);
}
