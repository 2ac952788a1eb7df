// `fltsim check` output formats: compiler-style text, JSON, SARIF 2.1.0 (structure; the Microsoft
// validator runs in scripts/test-sarif.sh), JUnit XML parsed with a real XML parser (tinyxml2).
#include <doctest/doctest.h>

#include <regex>
#include <set>

#include <tinyxml2.h>

#include "check_report.hpp"
#include "cli/check_support.hpp"
#include "fltsim/check/rules.hpp"
#include "fltsim/sim/findings.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace fltsim;
namespace check = fltsim::check;
using test::check_fixtures;
using test::run_fltsim;

namespace {

// A fixture with an error (altitude-inversion), a warning (order-dependent-outcome) and a
// location in each of three files.
fs::path mixed_fixture() {
  return check_fixtures() / "order-dependent-outcome" / "fail";
}

using test::lines_of;
int attr_int(const tinyxml2::XMLElement *e, const char *name) {
  int v = -1;
  REQUIRE(e->QueryIntAttribute(name, &v) == tinyxml2::XML_SUCCESS);
  return v;
}

} // namespace

TEST_SUITE("check formats") {

  TEST_CASE("text output is compiler style: file:line:col: severity[rule]: message") {
    const auto r = run_fltsim({"check", mixed_fixture().string()});
    CHECK(r.code == 1);
    const std::regex line(
        R"(^(.+\.yaml):([0-9]+):([0-9]+): (error|warning|note)\[([a-z-]+)\]: .+$)");
    std::set<std::string> rules;
    const auto ls = lines_of(r.out);
    REQUIRE(ls.size() >= 2);
    for (std::size_t i = 0; i + 1 < ls.size(); ++i) {
      std::smatch m;
      CAPTURE(ls[i]);
      REQUIRE(std::regex_match(ls[i], m, line));
      CHECK(fs::exists(m[1].str()));
      CHECK(std::stoi(m[2].str()) >= 1);
      CHECK(check::find_rule(m[5].str()) != nullptr);
      rules.insert(m[5].str());
    }
    CHECK(rules.count("altitude-inversion") == 1);
    CHECK(rules.count("order-dependent-outcome") == 1);
    // The last line is the summary, with counts that match the lines above.
    CHECK(ls.back().rfind("fltsim check: 1 error, 1 warning, 0 notes in 3 files", 0) == 0);
  }

  TEST_CASE("json output has the simulate finding fields plus file, line and column") {
    const auto r = run_fltsim({"check", mixed_fixture().string(), "--format", "json"});
    CHECK(r.code == 1);
    const json doc = json::parse(r.out);
    REQUIRE(doc.at("findings").size() == 2);
    for (const json &f : doc.at("findings")) {
      for (const char *key : {"code", "severity", "message", "drivers", "file", "line", "column"})
        CHECK(f.contains(key));
      CHECK(f.at("drivers").is_array());
      CHECK(f.at("line").get<int>() >= 1);
      CHECK(f.at("column").get<int>() >= 1);
    }
  }

  TEST_CASE("sarif output has the fields GitHub code scanning reads") {
    const fs::path root = test::source_root();
    const auto r =
        run_fltsim({"check", mixed_fixture().string(), "--format", "sarif", "--srcroot",
                    root.string(), "--rules-uri", "https://example.invalid/fltsim/docs/rules.md"});
    CHECK(r.code == 1);
    const json doc = json::parse(r.out);
    CHECK(doc.at("version") == "2.1.0");
    CHECK(doc.at("$schema").get<std::string>().find("sarif") != std::string::npos);
    const json &run = doc.at("runs").at(0);
    const json &driver = run.at("tool").at("driver");
    CHECK(driver.at("name") == "fltsim");
    CHECK_FALSE(driver.at("version").get<std::string>().empty());
    CHECK(driver.at("informationUri").get<std::string>().rfind("https://", 0) == 0);
    const json &rules = driver.at("rules");
    CHECK(rules.size() == check::rule_catalogue().size());
    for (const json &rule : rules) {
      const std::string id = rule.at("id");
      const sim::RuleInfo *info = check::find_rule(id);
      REQUIRE(info != nullptr);
      CHECK_FALSE(rule.at("shortDescription").at("text").get<std::string>().empty());
      CHECK_FALSE(rule.at("fullDescription").at("text").get<std::string>().empty());
      CHECK(rule.at("helpUri") == "https://example.invalid/fltsim/docs/rules.md#" + id);
      const std::string level = rule.at("defaultConfiguration").at("level");
      CHECK(level == sim::to_string(info->severity));
    }
    CHECK(run.at("originalUriBaseIds").at("%SRCROOT%").at("uri").get<std::string>().back() == '/');
    const json &results = run.at("results");
    REQUIRE(results.size() == 2);
    // Rule ids cited in a message link to their anchors in docs/model.md beside rules.md.
    const std::string model = "https://example.invalid/fltsim/docs/model.md#";
    bool linked = false;
    for (const json &res : results) {
      const std::string text = res.at("message").at("text");
      const std::string md = res.at("message").at("markdown");
      if (text.find("(R5, R6)") != std::string::npos) {
        CHECK(md.find("([R5](" + model + "r5), [R6](" + model + "r6))") != std::string::npos);
        linked = true;
      }
    }
    CHECK(linked); // the fixture's altitude-inversion cites (R5, R6)
    for (const json &rule : rules)
      if (rule.at("id") == "instance-outside-frame")
        CHECK(rule.at("help").at("markdown").get<std::string>().find("[A3](" + model + "a3)") !=
              std::string::npos);
    std::set<std::string> fingerprints;
    for (const json &res : results) {
      const std::string id = res.at("ruleId");
      const auto index = res.at("ruleIndex").get<std::size_t>();
      CHECK(rules.at(index).at("id") == id);
      CHECK((res.at("level") == "error" || res.at("level") == "warning"));
      CHECK_FALSE(res.at("message").at("text").get<std::string>().empty());
      const json &loc = res.at("locations").at(0).at("physicalLocation");
      const std::string uri = loc.at("artifactLocation").at("uri");
      CHECK(loc.at("artifactLocation").at("uriBaseId") == "%SRCROOT%");
      CHECK(uri.rfind("tests/check/order-dependent-outcome/fail/", 0) == 0); // relative, '/'
      CHECK(fs::exists(root / uri));
      CHECK(loc.at("region").at("startLine").get<int>() >= 1);
      fingerprints.insert(res.at("partialFingerprints").begin().value().get<std::string>());
    }
    CHECK(fingerprints.size() == results.size());
  }

  TEST_CASE("sarif omits the region when the line is unknown and escapes URIs") {
    check::CheckReport report;
    sim::Finding f{"unknown-group", sim::Severity::warning, "group 'x' is unknown", {"X"}};
    report.findings.push_back({f, {"/src/my dir/a#b.inf", 0, 0}});
    cli::SarifOptions o;
    o.tool_version = "1.2.3";
    o.rules_uri = "https://example.invalid/rules.md";
    o.srcroot = "/src";
    o.cwd = "/src";
    const json doc = cli::check_sarif(report, o);
    const json &loc = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    CHECK(loc.at("artifactLocation").at("uri") == "my%20dir/a%23b.inf");
    CHECK_FALSE(loc.contains("region"));
    CHECK(doc["runs"][0]["results"][0]["message"]["text"] == "group 'x' is unknown.");
  }

  TEST_CASE("sarif locations outside the source root become absolute file URIs") {
    check::CheckReport report;
    report.findings.push_back(
        {{"unknown-group", sim::Severity::warning, "m", {"X"}}, {"../elsewhere/a.inf", 3, 1}});
    cli::SarifOptions o;
    o.rules_uri = "https://example.invalid/rules.md";
    o.srcroot = "/src/repo";
    o.cwd = "/src/repo";
    const json doc = cli::check_sarif(report, o);
    const json &art =
        doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    CHECK(art.at("uri") == "file:///src/elsewhere/a.inf");
    CHECK_FALSE(art.contains("uriBaseId"));
  }

  TEST_CASE("junit output parses as XML: one suite per file, one case per rule, failures") {
    const auto r = run_fltsim({"check", mixed_fixture().string(), "--format", "junit"});
    CHECK(r.code == 1);
    tinyxml2::XMLDocument doc;
    REQUIRE(doc.Parse(r.out.c_str(), r.out.size()) == tinyxml2::XML_SUCCESS);
    const tinyxml2::XMLElement *suites = doc.FirstChildElement("testsuites");
    REQUIRE(suites != nullptr);
    int suite_count = 0, case_count = 0, failure_count = 0;
    std::set<std::string> failed_rules;
    for (const auto *s = suites->FirstChildElement("testsuite"); s;
         s = s->NextSiblingElement("testsuite")) {
      ++suite_count;
      CHECK(fs::exists(s->Attribute("name")));
      int cases = 0, failures = 0;
      for (const auto *c = s->FirstChildElement("testcase"); c;
           c = c->NextSiblingElement("testcase")) {
        ++cases;
        CHECK(check::find_rule(c->Attribute("name")) != nullptr);
        if (const auto *fail = c->FirstChildElement("failure")) {
          ++failures;
          failed_rules.insert(c->Attribute("name"));
          CHECK(std::string(fail->GetText()).find(s->Attribute("name")) == 0);
        }
      }
      CHECK(cases == attr_int(s, "tests"));
      CHECK(failures == attr_int(s, "failures"));
      case_count += cases;
      failure_count += failures;
    }
    CHECK(suite_count == 3);
    CHECK(case_count == attr_int(suites, "tests"));
    CHECK(failure_count == attr_int(suites, "failures"));
    // --fail-on error: only the error is a <failure>; the warning is recorded as output.
    CHECK(failed_rules == std::set<std::string>{"altitude-inversion"});
    CHECK(r.out.find("<system-out>") != std::string::npos);
  }

  TEST_CASE("junit --fail-on warning turns warnings into failures too") {
    const auto r = run_fltsim(
        {"check", mixed_fixture().string(), "--format", "junit", "--fail-on", "warning"});
    tinyxml2::XMLDocument doc;
    REQUIRE(doc.Parse(r.out.c_str(), r.out.size()) == tinyxml2::XML_SUCCESS);
    CHECK(attr_int(doc.FirstChildElement("testsuites"), "failures") == 2);
  }

  TEST_CASE("junit escapes markup and drops characters XML cannot carry") {
    check::CheckReport report;
    report.files = {"a<b>&\"c\".yaml"};
    sim::Finding f{"unknown-group", sim::Severity::error, "bad \x01 group <x> & 'y' \xff", {"X"}};
    report.findings.push_back({f, {report.files[0], 1, 1}});
    const std::string xml = cli::check_junit(report);
    tinyxml2::XMLDocument doc;
    REQUIRE(doc.Parse(xml.c_str(), xml.size()) == tinyxml2::XML_SUCCESS);
    const auto *suite = doc.FirstChildElement("testsuites")->FirstChildElement("testsuite");
    CHECK(std::string(suite->Attribute("name")) == "a<b>&\"c\".yaml");
    bool found = false;
    for (const auto *c = suite->FirstChildElement("testcase"); c;
         c = c->NextSiblingElement("testcase"))
      if (const auto *fail = c->FirstChildElement("failure")) {
        found = true;
        const std::string msg = fail->Attribute("message");
        CHECK(msg.find("<x> & 'y'") != std::string::npos);
        CHECK(msg.find('\x01') == std::string::npos);
      }
    CHECK(found);
  }

  TEST_CASE("--output writes the report to a file and nothing to stdout") {
    test::TempDir tmp;
    const fs::path out = tmp.path() / "report.sarif";
    const auto r = run_fltsim(
        {"check", mixed_fixture().string(), "--format", "sarif", "--output", out.string()});
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    std::ifstream in(out);
    const json doc = json::parse(in);
    CHECK(doc.at("runs").at(0).at("results").size() == 2);
  }

} // TEST_SUITE
