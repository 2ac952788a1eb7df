// `--baseline` on check, simulate and plan, and `fltsim baselines` (docs/baselines.md). Inputs:
// tests/cli/baselines/.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "fltsim/baselines/baselines.hpp"
#include "fltsim/check/rules.hpp"
#include "support.hpp"

using nlohmann::json;
using namespace fltsim;
using test::run_fltsim;

namespace {

std::string input(const char *name) {
  return (test::source_root() / "tests" / "cli" / "baselines" / name).string();
}

std::size_t count_code(const json &findings, const std::string &code) {
  std::size_t n = 0;
  for (const json &f : findings)
    if (f["code"] == code)
      ++n;
  return n;
}

} // namespace

TEST_SUITE("cli baselines") {

  TEST_CASE("every inbox exception names a rule of check's catalogue or not-allocated") {
    for (const baselines::Baseline &b : baselines::builtin_baselines())
      for (const baselines::BaselineInboxException &x : b.inbox_exceptions) {
        CAPTURE(b.id);
        CAPTURE(x.filter);
        CHECK((x.rule == "not-allocated" || check::find_rule(x.rule) != nullptr));
      }
  }

  TEST_CASE(
      "check --baseline twice: one outcome per build, the collision only where UnionFS ships") {
    const auto r = run_fltsim({"check", input("unionfs-130850.yaml"), "--baseline",
                               "windows-10-22h2", "--baseline", "windows-11-24h2"});
    INFO(r.out, r.err);
    CHECK(r.code == 1); // a failing build fails the run
    CHECK(r.out.find("== baseline windows-10-22h2") != std::string::npos);
    CHECK(r.out.find("== baseline windows-11-24h2") != std::string::npos);
    CHECK(r.out.find("Outcome per baseline:") != std::string::npos);
    const auto table = r.out.substr(r.out.find("Outcome per baseline:"));
    CHECK(table.find("windows-10-22h2  pass") != std::string::npos);
    CHECK(table.find("windows-11-24h2  fail") != std::string::npos);
    CHECK(r.out.find("UnionFS is an inbox filter of windows-11-24h2") != std::string::npos);

    const auto j =
        run_fltsim({"check", input("unionfs-130850.yaml"), "--baseline", "windows-10-22h2",
                    "--baseline", "windows-11-24h2", "--format", "json"});
    const json doc = json::parse(j.out);
    REQUIRE(doc["baselines"].size() == 2);
    CHECK(doc["baselines"][0]["baseline"] == "windows-10-22h2");
    CHECK(doc["baselines"][0]["outcome"] == "pass");
    CHECK(count_code(doc["baselines"][0]["findings"], "altitude-collision") == 0);
    CHECK(doc["baselines"][1]["baseline"] == "windows-11-24h2");
    CHECK(doc["baselines"][1]["outcome"] == "fail");
    CHECK(doc["baselines"][1]["completeness"] == "partial");
    CHECK(count_code(doc["baselines"][1]["findings"], "altitude-collision") == 1);
  }

  TEST_CASE("check --baseline: SARIF results and JUnit suites name their baseline") {
    const std::vector<std::string> base{"check",      input("unionfs-130850.yaml"),
                                        "--baseline", "windows-10-22h2",
                                        "--baseline", "windows-11-24h2"};
    auto with = [&](const char *fmt) {
      auto a = base;
      a.insert(a.end(), {"--format", fmt});
      return run_fltsim(a);
    };
    const json sarif = json::parse(with("sarif").out);
    REQUIRE(sarif["runs"].size() == 1);
    const json &results = sarif["runs"][0]["results"];
    REQUIRE(results.size() >= 1);
    for (const json &res : results) {
      CHECK(res["properties"]["baseline"] == "windows-11-24h2");
      CHECK(res["message"]["text"].get<std::string>().rfind("[windows-11-24h2] ", 0) == 0);
    }
    const std::string junit = with("junit").out;
    CHECK(junit.find("unionfs-130850.yaml [windows-10-22h2]\"") != std::string::npos);
    CHECK(junit.find("unionfs-130850.yaml [windows-11-24h2]\"") != std::string::npos);
  }

  TEST_CASE("inbox exceptions: Windows' own Wof is not flagged on a baseline, and is without one") {
    const auto on = run_fltsim(
        {"check", input("wof-inbox.yaml"), "--baseline", "windows-11-24h2", "--format", "json"});
    const json doc = json::parse(on.out);
    CHECK(on.code == 0);
    CHECK(count_code(doc["baselines"][0]["findings"], "altitude-out-of-group-range") == 0);
    CHECK(doc["baselines"][0]["inbox_excepted"] == 1);
    const auto off = run_fltsim({"check", input("wof-inbox.yaml"), "--format", "json"});
    CHECK(count_code(json::parse(off.out)["findings"], "altitude-out-of-group-range") == 1);
  }

  TEST_CASE("check --base with baseline: uses that baseline, --baseline replaces it") {
    const auto r = run_fltsim({"check", input("unionfs-130850.yaml"), "--base",
                               input("on-24h2.yaml"), "--format", "json"});
    const json doc = json::parse(r.out);
    CHECK(doc["baseline"] == "windows-11-24h2");
    CHECK(count_code(doc["findings"], "altitude-collision") == 1);
    const auto over =
        run_fltsim({"check", input("unionfs-130850.yaml"), "--base", input("on-24h2.yaml"),
                    "--baseline", "windows-10-22h2", "--format", "json"});
    const json o = json::parse(over.out);
    REQUIRE(o["baselines"].size() == 1);
    CHECK(o["baselines"][0]["baseline"] == "windows-10-22h2");
    CHECK(count_code(o["baselines"][0]["findings"], "altitude-collision") == 0);
  }

  TEST_CASE("an unknown --baseline is a usage error naming the bundled ids") {
    for (const char *cmd : {"check", "simulate", "plan"}) {
      CAPTURE(std::string(cmd));
      const std::string file =
          std::string(cmd) == "check" ? input("wof-inbox.yaml") : input("on-24h2.yaml");
      const auto r = run_fltsim({cmd, file, "--baseline", "windows-95"});
      CHECK(r.code == 2);
      CHECK(r.err.find("unknown baseline 'windows-95'") != std::string::npos);
      CHECK(r.err.find("windows-server-2022") != std::string::npos);
    }
  }

  TEST_CASE("simulate: the scenario's baseline: key, and one run per --baseline build") {
    const auto own = run_fltsim({"simulate", input("on-24h2.yaml"), "--format", "json"});
    REQUIRE(own.code == 0);
    const json j = json::parse(own.out);
    std::vector<std::string> names;
    for (const json &f : j["frames"][0]["filters"])
      names.push_back(f["name"]);
    CHECK(std::count(names.begin(), names.end(), "MyAV") == 1);
    CHECK(std::count(names.begin(), names.end(), "UnionFS") == 1);
    CHECK(std::count(names.begin(), names.end(), "WdFilter") == 0); // replaced: disabled

    const auto two = run_fltsim({"simulate", input("on-24h2.yaml"), "--baseline", "windows-10-1809",
                                 "--baseline", "windows-11-24h2", "--format", "fltmc"});
    REQUIRE(two.code == 0);
    const auto first = two.out.find("== baseline windows-10-1809");
    const auto second = two.out.find("== baseline windows-11-24h2");
    REQUIRE(first != std::string::npos);
    REQUIRE(second != std::string::npos);
    const std::string on1809 = two.out.substr(first, second - first);
    // 1809 predates UCPD (2023) and starts bindflt on demand (data/baselines/windows-10-1809.yaml,
    // from the 16299 and 18362 hives); 24H2 runs both.
    CHECK(on1809.find("UCPD") == std::string::npos);
    CHECK(on1809.find("bindflt") == std::string::npos);
    CHECK(two.out.substr(second).find("UCPD") != std::string::npos);
    CHECK(two.out.substr(second).find("bindflt") != std::string::npos);
    CHECK(on1809.find("UnionFS") == std::string::npos);
    CHECK(two.out.substr(second).find("UnionFS") != std::string::npos);
    CHECK(two.out.find("MyAV") != std::string::npos);
  }

  TEST_CASE("plan --baseline: one plan per build, --emit-* needs a single build") {
    const auto r = run_fltsim({"plan", input("on-24h2.yaml"), "--baseline", "windows-10-22h2",
                               "--baseline", "windows-server-2025", "--format", "json"});
    INFO(r.err);
    REQUIRE((r.code == 0 || r.code == 1));
    const json doc = json::parse(r.out);
    REQUIRE(doc["baselines"].size() == 2);
    CHECK(doc["baselines"][1]["baseline"] == "windows-server-2025");
    test::TempDir dir;
    const auto e =
        run_fltsim({"plan", input("on-24h2.yaml"), "--baseline", "windows-10-22h2", "--baseline",
                    "windows-11-24h2", "--emit-scenario", (dir.path() / "o.yaml").string()});
    CHECK(e.code == 2);
    CHECK(e.err.find("give one Windows build") != std::string::npos);
  }

  TEST_CASE("fltsim baselines lists every baseline with completeness and sources") {
    const auto t = run_fltsim({"baselines"});
    CHECK(t.code == 0);
    for (const char *id : {"windows-10-1809", "windows-11-24h2", "windows-server-2025", "role-dfs"})
      CHECK(t.out.find(id) != std::string::npos);
    const auto j = run_fltsim({"baselines", "--format", "json"});
    const json doc = json::parse(j.out);
    REQUIRE(doc["baselines"].size() == 9);
    for (const json &b : doc["baselines"]) {
      CAPTURE(b["id"].get<std::string>());
      CHECK(b["completeness"] == "partial");
      CHECK_FALSE(b["sources"].empty());
      for (const json &s : b["sources"])
        CHECK_FALSE(s["citation"].get<std::string>().empty());
      for (const json &d : b["drivers"])
        CHECK_FALSE(d["sources"].empty());
    }
    const auto one = run_fltsim({"baselines", "windows-11-24h2"});
    CHECK(one.out.find("fltmc-xps15-26100") != std::string::npos);
    CHECK(one.out.find("inbox exceptions") != std::string::npos);
    const auto bad = run_fltsim({"baselines", "windows-95"});
    CHECK(bad.code == 2);
  }

  TEST_CASE("fltsim baselines ID --scenario writes a scenario that simulates like baseline: ID") {
    test::TempDir dir;
    const auto y = run_fltsim({"baselines", "windows-server-2022", "--scenario"});
    REQUIRE(y.code == 0);
    const auto path = dir.path() / "s.yaml";
    std::ofstream(path) << y.out;
    const auto copied = run_fltsim({"simulate", path.string(), "--format", "fltmc"});
    std::ofstream(dir.path() / "k.yaml")
        << "scenario: k\nbaseline: windows-server-2022\ndrivers: []\n";
    const auto keyed =
        run_fltsim({"simulate", (dir.path() / "k.yaml").string(), "--format", "fltmc"});
    CHECK(copied.code == 0);
    CHECK(copied.out == keyed.out);
  }
}
