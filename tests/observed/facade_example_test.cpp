// The worked example of observed/include/fltsim/observed/observed_import.hpp, compiled and run.
#include <doctest/doctest.h>

#include "fltsim/observed/observed_import.hpp"

namespace observed = fltsim::observed;
namespace sim = fltsim::sim;

TEST_CASE("observed facade example: a pasted fltmc listing imports and compares equal") {
  observed::ObservedStack seen = observed::parse_observed(
      "Filter Name                     Num Instances    Altitude    Frame\n"
      "------------------------------  -------------  ------------  -----\n"
      "WdFilter                                5       328010         0\n"
      "FileInfo                                5       40500          0\n",
      "paste.txt");
  REQUIRE(seen.diagnostics.empty());
  observed::ImportResult imp = observed::import_observed(seen, "paste.txt");
  REQUIRE(imp.scenario);
  CHECK(imp.reproduces);
  REQUIRE(imp.scenario->drivers.size() == 2);
  // Drivers come in load order: FileInfo (FSFilter Bottom) before WdFilter (Anti-Virus).
  CHECK(imp.scenario->drivers[0].name == "FileInfo");
  CHECK(imp.scenario->drivers[1].name == "WdFilter");
  CHECK_FALSE(imp.assumptions.empty());
  const sim::SimResult r = sim::simulate(*imp.scenario);
  const observed::Comparison c = observed::compare_observed(*imp.scenario, r, seen, "paste.txt");
  CHECK(c.errors.empty());
  CHECK(c.match);
}
