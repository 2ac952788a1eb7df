// Tests that kill mutants scripts/mutate.py found alive (docs/reliability.md, "Mutation
// score"): each pins a condition of a check rule that no other test decided.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "check_lib/check_support.hpp"
#include "fltsim/check/check.hpp"
#include "fltsim/sim/findings.hpp"

using namespace fltsim;

namespace {

sim::Driver mini_at(std::string name, std::string group, const char *altitude) {
  sim::Driver d;
  d.name = std::move(name);
  d.group = std::move(group);
  d.start = sim::StartType::boot;
  d.kind = sim::DriverKind::minifilter;
  d.instances.push_back({d.name + " Instance", sim::Altitude::from_literal(altitude), 0, {}, {}});
  d.default_instance = d.name + " Instance";
  d.location = {"", 1, 1};
  return d;
}

sim::Driver legacy_with(std::string name, sim::StartType start) {
  sim::Driver d;
  d.name = std::move(name);
  d.group = "FSFilter Encryption";
  d.start = start;
  d.kind = sim::DriverKind::legacy;
  d.location = {"", 1, 1};
  return d;
}

check::CheckReport check_one(sim::Driver d) {
  check::CheckInputs in;
  in.manifests.push_back({"m.yaml", {std::move(d)}, {}});
  in.options.max_orders = 0;
  return check::run_check(std::move(in));
}

} // namespace

TEST_SUITE("mutants: check rules") {
  TEST_CASE("legacy-not-boot-start: boot and disabled legacy filters are not reported") {
    CHECK(count(check_one(legacy_with("Boot", sim::StartType::boot)),
                check::rule::legacy_not_boot_start) == 0);
    CHECK(count(check_one(legacy_with("Off", sim::StartType::disabled)),
                check::rule::legacy_not_boot_start) == 0);
    CHECK(count(check_one(legacy_with("Sys", sim::StartType::system)),
                check::rule::legacy_not_boot_start) == 1);
    CHECK(count(check_one(legacy_with("Demand", sim::StartType::demand)),
                check::rule::legacy_not_boot_start) == 1);
  }

  TEST_CASE("altitude-allocated-elsewhere: any one owner of a shared altitude may use it") {
    // data/allocated-altitudes.csv gives 400700.5 to hznprotect.sys(Renamed) (Omnissa) and to
    // vmwprotect.sys (VMware): 96 altitudes have several owners.
    CHECK(count(check_one(mini_at("vmwprotect", "FSFilter Top", "400700.5")),
                check::rule::altitude_allocated_elsewhere) == 0);
    CHECK(count(check_one(mini_at("Other", "FSFilter Top", "400700.5")),
                check::rule::altitude_allocated_elsewhere) == 1);
  }

  TEST_CASE("altitude-allocated-elsewhere: 'minispy.sys - Top' names minispy") {
    // data/allocated-altitudes.csv labels per-instance altitudes of one driver with " - ":
    // 385100 is "minispy.sys - Top", so minispy may use it and another driver may not.
    CHECK(count(check_one(mini_at("minispy", "FSFilter Activity Monitor", "385100")),
                check::rule::altitude_allocated_elsewhere) == 0);
    CHECK(count(check_one(mini_at("Other", "FSFilter Activity Monitor", "385100")),
                check::rule::altitude_allocated_elsewhere) == 1);
  }

  TEST_CASE("altitude-out-of-group-range: a group's range includes both its ends") {
    // FSFilter Anti-Virus is 320000-329999 (docs/model.md#groups).
    for (const char *a : {"320000", "329999"})
      CHECK(count(check_one(mini_at("Av", "FSFilter Anti-Virus", a)),
                  check::rule::altitude_out_of_group_range) == 0);
    for (const char *a : {"319999.9", "330000"})
      CHECK(count(check_one(mini_at("Av", "FSFilter Anti-Virus", a)),
                  check::rule::altitude_out_of_group_range) == 1);
  }
}
