// Several runs of one listing in one paste are successive observations of one machine
// (docs/import.md#runs); a name listed once as legacy and once as minifilter is one driver of
// kind both (docs/import.md#kind-both).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "fltsim/observed/observed.hpp"
#include "fltsim/observed/observed_import.hpp"
#include "fltsim/sim/engine.hpp"

using namespace fltsim;

namespace {

std::string run(const std::string &rows) {
  return "C:\\>fltmc\n\n"
         "Filter Name                     Num Instances    Altitude    Frame\n"
         "------------------------------  -------------  ------------  -----\n" +
         rows + "\n";
}

const std::string kWd = "WdFilter                                5       328010         0\n";
const std::string kLuafv = "luafv                                   1       135000         0\n";
const std::string kInfo = "FileInfo                                5        40500         0\n";

bool has(const observed::ImportResult &r, const std::string &text) {
  return std::any_of(r.assumptions.begin(), r.assumptions.end(),
                     [&](const std::string &a) { return a.find(text) != std::string::npos; });
}

observed::ImportResult import(const std::string &text) {
  return observed::import_observed(observed::parse_observed(text, "runs.txt"), "runs.txt");
}

} // namespace

TEST_SUITE("observed runs and kind both") {
  TEST_CASE("two identical runs: one observation, said once") {
    const auto r = import(run(kWd + kInfo) + run(kWd + kInfo));
    REQUIRE(r.scenario.has_value());
    CHECK(r.reproduces);
    CHECK(r.scenario->drivers.size() == 2);
    CHECK(has(r, "2 runs of `fltmc filters` (lines 3, 10) show the same filters and frames"));
  }

  TEST_CASE("two runs that differ: each change is listed, the last run is imported") {
    const auto r = import(run(kWd + kInfo) + run(kWd + kLuafv + kInfo));
    REQUIRE(r.scenario.has_value());
    CHECK(r.errors.empty());
    CHECK(r.scenario->drivers.size() == 3);
    CHECK(has(r, "2 runs of `fltmc filters` (lines 3, 10) differ"));
    CHECK(has(r, "between the runs at lines 3 and 10: luafv is new"));
    // And the other way round: a filter gone.
    const auto gone = import(run(kWd + kLuafv + kInfo) + run(kWd + kInfo));
    REQUIRE(gone.scenario.has_value());
    CHECK(gone.scenario->drivers.size() == 2);
    CHECK(has(gone, "luafv"));
  }

  TEST_CASE("a name listed as legacy and as minifilter is one kind both driver") {
    const std::string text =
        run("AVDriver                                329998.99  <Legacy>\n"
            "AVDriver                                3       328000         0\n" +
            kInfo);
    const auto st = observed::parse_observed(text, "both.txt");
    const auto r = observed::import_observed(st, "both.txt");
    REQUIRE(r.scenario.has_value());
    REQUIRE(r.scenario->drivers.size() == 2);
    const sim::Driver &d =
        r.scenario->drivers[static_cast<std::size_t>(r.scenario->find_driver("AVDriver"))];
    CHECK(d.kind == sim::DriverKind::both);
    CHECK(d.group == "FSFilter Anti-Virus");
    REQUIRE(d.instances.size() == 1);
    CHECK(d.instances[0].altitude.text() == "328000");
    CHECK(r.reproduces);
    const sim::SimResult sim_res = sim::simulate(*r.scenario);
    const observed::Comparison c = observed::compare_observed(*r.scenario, sim_res, st, "both.txt");
    CHECK(c.match);
    // Listed twice with the same kind is still refused.
    const auto twice = import(run(kWd + kWd + kInfo));
    CHECK_FALSE(twice.scenario.has_value());
  }
}
