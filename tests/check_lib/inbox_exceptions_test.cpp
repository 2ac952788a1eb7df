// fltsim_check with a Windows baseline (CheckInputs::baseline, docs/baselines.md): the inbox
// exceptions keep Windows' own disagreements with the allocated list out of the report, only for
// the Windows filter with Windows' value, and findings about an inbox filter name the baseline.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "check_lib/check_support.hpp"
#include "fltsim/check/check.hpp"
#include "fltsim/sim/findings.hpp"

using namespace fltsim;

namespace {

sim::Driver mini(std::string name, const char *group, sim::StartType start, const char *altitude,
                 int line) {
  sim::Driver d;
  d.name = std::move(name);
  if (group)
    d.group = group;
  d.start = start;
  d.instances.push_back({d.name + " Instance", sim::Altitude::from_literal(altitude), 0, {}, {}});
  d.default_instance = d.name + " Instance";
  d.location = {"", line, 1};
  return d;
}

// A two-driver stand-in for a baseline: Wof in FSFilter Compression at 40700 (an altitude the
// list puts in FSFilter Bottom) and WdFilter at 328010.
check::CheckBaseline fake_baseline() {
  check::CheckBaseline b;
  b.id = "windows-test";
  b.inbox_filters = {"Wof", "WdFilter"};
  b.exceptions = {{"Wof", "group", "FSFilter Compression", "altitude-out-of-group-range"}};
  return b;
}

sim::Scenario fake_base() {
  sim::Scenario sc;
  sc.drivers = {mini("Wof", "FSFilter Compression", sim::StartType::boot, "40700", 1),
                mini("WdFilter", "FSFilter Anti-Virus", sim::StartType::boot, "328010", 2)};
  return sc;
}

} // namespace

TEST_SUITE("check with a baseline") {
  TEST_CASE("an inbox exception hides the finding for the Windows filter with Windows' value") {
    check::CheckInputs in;
    in.base = fake_base();
    in.baseline = fake_baseline();
    // The Windows Wof itself, checked as a manifest (its INF, say).
    in.manifests.push_back(
        {"wof.yaml", {mini("Wof", "FSFilter Compression", sim::StartType::boot, "40700", 1)}, {}});
    const check::CheckReport r = check::run_check(in);
    CHECK(count(r, check::rule::altitude_out_of_group_range) == 0);
    CHECK(r.inbox_excepted == 1);
    REQUIRE(r.baseline);
    CHECK(r.baseline->id == "windows-test");

    // Without the baseline the same manifest is reported (the rule itself is unchanged).
    check::CheckInputs plain;
    plain.manifests = in.manifests;
    const check::CheckReport p = check::run_check(plain);
    CHECK(count(p, check::rule::altitude_out_of_group_range) == 1);
    CHECK(p.inbox_excepted == 0);
  }

  TEST_CASE("the exception covers only the named filter with Windows' value") {
    check::CheckInputs in;
    in.base = fake_base();
    in.baseline = fake_baseline();
    in.manifests.push_back(
        {"m.yaml",
         {// A third-party driver doing what Wof does is still reported.
          mini("MyCompressor", "FSFilter Compression", sim::StartType::boot, "40710", 1),
          // Wof moved to another group is not Windows' value: reported.
          mini("Wof", "FSFilter Bottom", sim::StartType::boot, "160000", 2)},
         {}});
    const check::CheckReport r = check::run_check(in);
    CHECK(count(r, check::rule::altitude_out_of_group_range) == 2);
    CHECK(r.inbox_excepted == 0);
  }

  TEST_CASE("a collision with an inbox filter names the baseline, a manifest-only one does not") {
    check::CheckInputs in;
    in.base = fake_base();
    in.baseline = fake_baseline();
    in.manifests.push_back(
        {"av.yaml",
         {mini("MyAV", "FSFilter Anti-Virus", sim::StartType::system, "328010", 1),
          mini("A1", "FSFilter Activity Monitor", sim::StartType::boot, "370000", 2),
          mini("A2", "FSFilter Activity Monitor", sim::StartType::boot, "370000", 3)},
         {}});
    const check::CheckReport r = check::run_check(in);
    std::size_t named = 0, plain = 0;
    for (const check::LocatedFinding &f : r.findings) {
      if (f.finding.code != sim::rule::altitude_collision)
        continue;
      const bool mentions = f.finding.message.find("WdFilter is an inbox filter of windows-test") !=
                            std::string::npos;
      (mentions ? named : plain) += 1;
    }
    CHECK(named == 1);
    CHECK(plain == 1);
  }

  TEST_CASE("apply_inbox_exceptions by field: altitude, group and name") {
    check::CheckedScenario c;
    c.scenario.drivers = {mini("UnionFS", nullptr, sim::StartType::boot, "130850", 1)};
    c.from_manifest = {true};
    auto finding = [](const char *code) {
      return check::LocatedFinding{{code, sim::Severity::warning, "m", {"UnionFS"}}, {}};
    };
    std::vector<check::LocatedFinding> fs = {finding("altitude-allocated-elsewhere"),
                                             finding("unknown-group")};
    CHECK(check::apply_inbox_exceptions(
              fs, c, {{"unionfs", "altitude", "130850", "altitude-allocated-elsewhere"}}) == 1);
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].finding.code == "unknown-group");
    CHECK(check::apply_inbox_exceptions(fs, c,
                                        {{"UnionFS", "altitude", "130851", "unknown-group"}}) == 0);
    CHECK(check::apply_inbox_exceptions(fs, c, {{"UnionFS", "name", "UnionFS", "unknown-group"}}) ==
          1);
    CHECK(fs.empty());
  }
}
