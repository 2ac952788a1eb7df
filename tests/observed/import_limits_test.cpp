// Limits and partial listings at the import boundary (mutants observed-instance-limit and
// observed-error-line of scripts/mutate.py).
#include <doctest/doctest.h>

#include <string>

#include "fltsim/observed/observed_import.hpp"

namespace observed = fltsim::observed;

TEST_CASE("import: a filter shows at most 1024 instances, 1025 is refused at its row") {
  auto capture = [](int count) {
    std::string n = std::to_string(count);
    return "Filter Name                     Num Instances    Altitude    Frame\n"
           "------------------------------  -------------  ------------  -----\n"
           "FileInfo                        " +
           std::string(9 - n.size(), ' ') + n + "        40500         0\n";
  };
  const observed::ImportResult ok =
      observed::import_observed(observed::parse_observed(capture(1024), "ok.txt"), "ok.txt");
  CHECK(ok.errors.empty());
  const observed::ImportResult over =
      observed::import_observed(observed::parse_observed(capture(1025), "over.txt"), "over.txt");
  REQUIRE(over.errors.size() == 1);
  CHECK(over.errors[0].code == "observed-instances");
  CHECK(over.errors[0].location.line == 3);
}

TEST_CASE("observed: an error printed inside a listing makes it partial, not complete") {
  const observed::ObservedStack st = observed::parse_observed(
      "Filter Name                     Num Instances    Altitude    Frame\n"
      "------------------------------  -------------  ------------  -----\n"
      "WdFilter                                5       328010         0\n"
      "Failed to get filter information with error: 0x80070057\n",
      "err.txt");
  REQUIRE(st.sections.size() == 1);
  CHECK(st.sections[0].truncated);
  CHECK(st.truncated());
}
