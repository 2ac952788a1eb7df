// sim::put_drivers: the one way a set of drivers is put onto another by name.
#include <doctest/doctest.h>

#include "fltsim/sim/groups.hpp"
#include "fltsim/sim/scenario.hpp"

using namespace fltsim::sim;

namespace {

Driver named(std::string name, std::string group = "FSFilter Activity Monitor") {
  Driver d;
  d.name = std::move(name);
  d.group = std::move(group);
  return d;
}

std::vector<std::string> view(const std::vector<Driver> &ds) {
  std::vector<std::string> out;
  for (const Driver &d : ds)
    out.push_back(d.name + "/" + d.group.value_or(""));
  return out;
}

} // namespace

TEST_SUITE("put_drivers") {
  TEST_CASE("a driver of a present name takes its place (any case), a new one comes last") {
    for (const SameName rule : {SameName::replace_once, SameName::latest_wins}) {
      std::vector<Driver> ds = {named("A"), named("B"), named("C")};
      const auto at = put_drivers(ds, {named("b", "new"), named("D", "new")}, rule);
      CHECK(view(ds) == std::vector<std::string>{"A/FSFilter Activity Monitor", "b/new",
                                                 "C/FSFilter Activity Monitor", "D/new"});
      CHECK(at == std::vector<std::size_t>{1, 3});
    }
  }

  TEST_CASE("replace_once keeps a second driver of one name, latest_wins keeps the last") {
    const std::vector<Driver> base = {named("A"), named("B")};
    const std::vector<Driver> incoming = {named("B", "1"), named("b", "2"), named("N", "1"),
                                          named("n", "2")};
    std::vector<Driver> once = base;
    CHECK(put_drivers(once, incoming, SameName::replace_once) ==
          std::vector<std::size_t>{1, 2, 3, 4});
    CHECK(view(once) ==
          std::vector<std::string>{"A/FSFilter Activity Monitor", "B/1", "b/2", "N/1", "n/2"});
    std::vector<Driver> latest = base;
    CHECK(put_drivers(latest, incoming, SameName::latest_wins) ==
          std::vector<std::size_t>{1, 1, 2, 2});
    CHECK(view(latest) == std::vector<std::string>{"A/FSFilter Activity Monitor", "b/2", "n/2"});
  }

  TEST_CASE("every name present before is still present, at its position") {
    for (const SameName rule : {SameName::replace_once, SameName::latest_wins}) {
      std::vector<Driver> ds = {named("A"), named("B"), named("A")}; // a duplicate already
      put_drivers(ds, {named("a", "x"), named("a", "y"), named("Z")}, rule);
      REQUIRE(ds.size() >= 3);
      CHECK(iequals(ds[0].name, "a"));
      CHECK(ds[1].name == "B");
      CHECK(ds[2].name == "A"); // only the first driver of a name is ever replaced
      CHECK(ds[2].group == "FSFilter Activity Monitor");
      CHECK(ds.back().name == "Z");
    }
  }
}
