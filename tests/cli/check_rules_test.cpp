// `fltsim check` rule catalogue: every rule has a failing and a passing fixture under
// tests/check/<rule-id>/, and each rule's findings carry the manifest location and the facts the
// rule promises (docs/rules.md).
#include <doctest/doctest.h>

#include <algorithm>

#include "cli/check_support.hpp"
#include "fltsim/check/rules.hpp"
#include "fltsim/sim/findings.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace fltsim;
using test::check_fixtures;
using test::findings_of;
using test::run_fltsim;

namespace {

std::vector<std::string> check_args(const fs::path &rule_dir, const std::string &which) {
  std::vector<std::string> args{"check", (rule_dir / which).string(), "--format", "json"};
  if (fs::exists(rule_dir / "base.yaml")) {
    args.emplace_back("--base");
    args.push_back((rule_dir / "base.yaml").string());
  }
  return args;
}

json check_json(const std::vector<std::string> &args, int *code = nullptr) {
  const test::CliRun r = run_fltsim(args);
  INFO(r.err);
  if (code)
    *code = r.code;
  return json::parse(r.out);
}

bool under(const std::string &file, const fs::path &dir) {
  const std::string d = dir.lexically_normal().string();
  return file.compare(0, d.size(), d) == 0;
}

json fixture_findings(const std::string &rule, const std::string &which = "fail") {
  const fs::path dir = check_fixtures() / rule;
  return findings_of(check_json(check_args(dir, which)), rule);
}

} // namespace

TEST_SUITE("check rules") {

  TEST_CASE("every catalogue rule has a failing and a passing fixture") {
    for (const sim::RuleInfo &rule : check::rule_catalogue()) {
      CAPTURE(rule.id);
      const fs::path dir = check_fixtures() / std::string(rule.id);
      CHECK(fs::is_directory(dir / "fail"));
      CHECK(fs::is_directory(dir / "pass"));
    }
  }

  TEST_CASE("docs/rules.md has a section per rule, the target of the SARIF help links") {
    std::ifstream in(test::source_root() / "docs" / "rules.md");
    std::stringstream text;
    text << in.rdbuf();
    for (const sim::RuleInfo &rule : check::rule_catalogue()) {
      CAPTURE(rule.id);
      CHECK(text.str().find("\n## " + std::string(rule.id) + "\n") != std::string::npos);
    }
  }

  TEST_CASE("each failing fixture reports its rule at a manifest line and fails the build") {
    for (const sim::RuleInfo &rule : check::rule_catalogue()) {
      CAPTURE(rule.id);
      const fs::path dir = check_fixtures() / std::string(rule.id);
      int code = -1;
      const json doc = check_json(check_args(dir, "fail"), &code);
      CHECK(doc.at("input_errors").empty());
      const auto hits = findings_of(doc, std::string(rule.id));
      REQUIRE_FALSE(hits.empty());
      for (const json &f : hits) {
        CHECK(f.at("severity") == sim::to_string(rule.severity));
        CHECK(under(f.at("file").get<std::string>(), dir / "fail"));
        CHECK(f.at("line").get<int>() >= 1);
        CHECK_FALSE(f.at("message").get<std::string>().empty());
      }
      // Exit 1 when a finding reaches --fail-on; warnings pass the default gate unless other
      // findings of the fixture are errors.
      if (rule.severity == sim::Severity::error)
        CHECK(code == 1);
      auto strict = check_args(dir, "fail");
      strict.insert(strict.end(), {"--fail-on", "warning"});
      CHECK(run_fltsim(strict).code == 1);
    }
  }

  TEST_CASE("each passing fixture is clean even with --fail-on warning") {
    for (const sim::RuleInfo &rule : check::rule_catalogue()) {
      CAPTURE(rule.id);
      auto args = check_args(check_fixtures() / std::string(rule.id), "pass");
      args.insert(args.end(), {"--fail-on", "warning"});
      int code = -1;
      const json doc = check_json(args, &code);
      CHECK(doc.at("findings").empty());
      CHECK(doc.at("input_errors").empty());
      CHECK(code == 0);
    }
  }

  TEST_CASE("a warning alone does not fail the default gate") {
    // legacy-not-boot-start is a warning and its fixture has no other finding.
    const auto r =
        run_fltsim({"check", (check_fixtures() / "legacy-not-boot-start" / "fail").string()});
    CHECK(r.code == 0);
    CHECK(r.out.find("warning[legacy-not-boot-start]") != std::string::npos);
  }

  TEST_CASE("altitude-allocated-elsewhere names the owner from Microsoft's list") {
    const auto hits = fixture_findings("altitude-allocated-elsewhere");
    REQUIRE(hits.size() == 1);
    const std::string msg = hits[0].at("message");
    CHECK(msg.find("passThrough.sys") != std::string::npos);
    CHECK(msg.find("Microsoft") != std::string::npos);
    CHECK(hits[0].at("drivers") == json::array({"CopyCat"}));
  }

  TEST_CASE("altitude-collision compares altitudes as exact decimals and names both drivers") {
    const auto hits = fixture_findings("altitude-collision");
    REQUIRE(hits.size() == 1);
    auto drivers = hits[0].at("drivers").get<std::vector<std::string>>();
    std::sort(drivers.begin(), drivers.end());
    CHECK(drivers == std::vector<std::string>{"CollideA", "CollideB"});
  }

  TEST_CASE("altitude-out-of-group-range names the declared and the actual group") {
    const auto hits = fixture_findings("altitude-out-of-group-range");
    REQUIRE(hits.size() == 1);
    const std::string msg = hits[0].at("message");
    CHECK(msg.find("FSFilter Replication") != std::string::npos);
    CHECK(msg.find("FSFilter Activity Monitor") != std::string::npos);
  }

  TEST_CASE("instance-outside-frame points at the failing instance, not the driver") {
    const auto hits = fixture_findings("instance-outside-frame");
    REQUIRE(hits.size() == 1);
    // tests/check/instance-outside-frame/fail/wide.yaml: the High instance is on line 8.
    CHECK(hits[0].at("line") == 8);
    CHECK(hits[0].at("message").get<std::string>().find("'High'") != std::string::npos);
  }

  TEST_CASE("invalid-altitude is a finding at the altitude, for YAML and INF manifests alike") {
    const auto hits = fixture_findings("invalid-altitude");
    std::vector<std::string> files;
    for (const json &f : hits)
      files.push_back(fs::path(f.at("file").get<std::string>()).filename().string());
    std::sort(files.begin(), files.end());
    CHECK(files == std::vector<std::string>{"comma.inf", "typo.yaml"});
    for (const json &f : hits) {
      CHECK(f.at("severity") == "error");
      if (fs::path(f.at("file").get<std::string>()).filename() == "typo.yaml")
        CHECK(f.at("line") == 5); // altitude: "362345.6.7"
    }
  }

  TEST_CASE("order-dependent-outcome names the tied drivers") {
    const auto hits = fixture_findings("order-dependent-outcome");
    REQUIRE(hits.size() == 1);
    auto drivers = hits[0].at("drivers").get<std::vector<std::string>>();
    std::sort(drivers.begin(), drivers.end());
    CHECK(drivers == std::vector<std::string>{"AVLegacy", "AVMiniFilter"});
  }

  TEST_CASE("dependency-cycle names every service of the cycle") {
    const auto hits = fixture_findings("dependency-cycle");
    REQUIRE(hits.size() == 1);
    auto drivers = hits[0].at("drivers").get<std::vector<std::string>>();
    std::sort(drivers.begin(), drivers.end());
    CHECK(drivers == std::vector<std::string>{"CycleA", "CycleB"});
  }

  TEST_CASE("duplicate-driver is reported at the second declaration") {
    const auto hits = fixture_findings("duplicate-driver");
    REQUIRE(hits.size() == 1);
    CHECK(fs::path(hits[0].at("file").get<std::string>()).filename() == "dup_2.yaml");
  }

  TEST_CASE("--max-orders 0 turns tie exploration off") {
    auto args = check_args(check_fixtures() / "order-dependent-outcome", "fail");
    args.insert(args.end(), {"--max-orders", "0"});
    CHECK(findings_of(check_json(args), "order-dependent-outcome").empty());
  }

} // TEST_SUITE
