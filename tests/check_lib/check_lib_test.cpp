// fltsim_check called directly, without the CLI: inputs built in memory, a report out.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fltsim/check/check.hpp"
#include "fltsim/check/merge.hpp"
#include "fltsim/sim/findings.hpp"

using namespace fltsim;

namespace {

sim::Driver mini(std::string name, std::string group, sim::StartType start, const char *altitude,
                 int line) {
  sim::Driver d;
  d.name = std::move(name);
  d.group = std::move(group);
  d.start = start;
  d.kind = sim::DriverKind::minifilter;
  d.instances.push_back({d.name + " Instance", sim::Altitude::from_literal(altitude), 0, {}, {}});
  d.default_instance = d.name + " Instance";
  d.location = {"", line, 1};
  return d;
}

sim::Driver legacy(std::string name, std::string group, int line) {
  sim::Driver d;
  d.name = std::move(name);
  d.group = std::move(group);
  d.start = sim::StartType::boot;
  d.kind = sim::DriverKind::legacy;
  d.location = {"", line, 1};
  return d;
}

// The blog's example A, as one manifest file.
check::CheckInputs blog_a() {
  check::CheckInputs in;
  in.manifests.push_back(
      {"blog.yaml",
       {mini("FileInfo", "FSFilter Bottom", sim::StartType::boot, "45000", 1),
        legacy("EncryptionLegacy", "FSFilter Encryption", 2),
        legacy("AVLegacy", "FSFilter Anti-Virus", 3),
        mini("AVMiniFilter", "FSFilter Anti-Virus", sim::StartType::boot, "328000", 4)},
       {}});
  return in;
}

std::vector<std::string> codes(const check::CheckReport &r) {
  std::vector<std::string> out;
  for (const check::LocatedFinding &f : r.findings)
    out.push_back(f.finding.code);
  return out;
}

bool has(const check::CheckReport &r, std::string_view code) {
  const auto c = codes(r);
  return std::find(c.begin(), c.end(), code) != c.end();
}

} // namespace

TEST_SUITE("check library") {
  TEST_CASE("run_check reports the blog's inversion and tie at the manifest's lines") {
    const check::CheckReport r = check::run_check(blog_a());
    CHECK(r.input_errors.empty());
    CHECK(r.files == std::vector<std::string>{"blog.yaml"});
    CHECK(r.manifest_drivers == 4);
    CHECK(r.base_drivers == 0);
    REQUIRE(r.ties.has_value());
    CHECK(r.ties->order_dependent);
    CHECK(has(r, sim::rule::altitude_inversion));
    CHECK(has(r, check::rule::order_dependent_outcome));
    for (const check::LocatedFinding &f : r.findings)
      CHECK(f.location.file == "blog.yaml"); // the manifest path is the default location
    const auto inv = std::find_if(r.findings.begin(), r.findings.end(), [](const auto &f) {
      return f.finding.code == sim::rule::altitude_inversion;
    });
    CHECK(inv->location.line == 4); // AVMiniFilter's declaration
    CHECK(check::failing_count(r) >= 1);
  }

  TEST_CASE("options: max_orders 0 skips the tie exploration, fail_on warning counts warnings") {
    check::CheckInputs in = blog_a();
    in.options.max_orders = 0;
    in.options.fail_on = sim::Severity::warning;
    const check::CheckReport r = check::run_check(std::move(in));
    CHECK(!r.ties.has_value());
    CHECK(!has(r, check::rule::order_dependent_outcome));
    CHECK(r.fail_on == sim::Severity::warning);
    CHECK(check::failing_count(r) == r.findings.size());
  }

  TEST_CASE("suppressions hide findings and are counted") {
    check::CheckInputs in = blog_a();
    check::Suppression s;
    s.rule = std::string(check::rule::order_dependent_outcome);
    in.suppressions.push_back(s);
    const check::CheckReport r = check::run_check(std::move(in));
    CHECK(r.suppressed == 1);
    CHECK(!has(r, check::rule::order_dependent_outcome));
    CHECK(has(r, sim::rule::altitude_inversion));
  }

  TEST_CASE("findings about base drivers alone are not reported") {
    check::CheckInputs in;
    in.base = sim::Scenario{};
    in.base->drivers = blog_a().manifests[0].drivers;
    in.manifests.push_back(
        {"new.yaml", {mini("Other", "FSFilter Bottom", sim::StartType::boot, "41000", 1)}, {}});
    const check::CheckReport r = check::run_check(std::move(in));
    CHECK(r.base_drivers == 4);
    CHECK(r.manifest_drivers == 1);
    CHECK(!has(r, sim::rule::altitude_inversion));
  }

  TEST_CASE("reader diagnostics: rule facts become findings, the rest input errors") {
    check::CheckInputs in;
    in.input_errors.push_back(sim::make_diagnostic({"missing", 0, 0}, "io", "no such file"));
    // The readers mark a diagnostic that is a fact about the manifest with its rule
    // (sim::Diagnostic::fact); the code alone decides nothing.
    sim::Diagnostic fact = sim::make_diagnostic({"bad.inf", 7, 12}, "invalid-altitude",
                                                "altitude '32x' is not a decimal string");
    fact.fact = sim::rule::invalid_altitude;
    in.manifests.push_back(
        {"bad.inf",
         {},
         {fact, sim::make_diagnostic({"bad.inf", 9, 1}, "inf-syntax", "unterminated section")}});
    const check::CheckReport r = check::run_check(std::move(in));
    REQUIRE(r.input_errors.size() == 2);
    CHECK(r.input_errors[0].code == "io");
    CHECK(r.input_errors[1].code == "inf-syntax");
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].finding.code == sim::rule::invalid_altitude);
    CHECK(r.findings[0].location.line == 7);
  }

  TEST_CASE("merge: a manifest driver replaces the base driver of the same name in place") {
    sim::Scenario base;
    base.drivers = {mini("A", "FSFilter Bottom", sim::StartType::boot, "41000", 1),
                    mini("B", "FSFilter Bottom", sim::StartType::boot, "42000", 2)};
    const check::CheckedScenario c = check::merge_scenario(
        &base, {mini("a", "FSFilter Top", sim::StartType::demand, "401000", 5)});
    REQUIRE(c.scenario.drivers.size() == 2);
    CHECK(c.scenario.drivers[0].name == "a");
    CHECK(c.from_manifest == std::vector<bool>{true, false});
    REQUIRE(c.scenario.events.size() == 1); // the demand-start manifest driver is loaded (L5)
    CHECK(c.scenario.events[0].driver == "a");
  }

  TEST_CASE("auto max orders: every order of a small scenario, fewer for a large one") {
    CHECK(check::auto_max_orders(0) == 720);
    CHECK(check::auto_max_orders(10) == 720);
    CHECK(check::auto_max_orders(1000) == 25);
    CHECK(check::auto_max_orders(100000) == 16);
  }
}
