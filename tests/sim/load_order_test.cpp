#include <doctest/doctest.h>

#include "fltsim/sim/engine.hpp"

using namespace fltsim::sim;

namespace {
Driver drv(std::string name, std::optional<std::string> group, StartType start,
           std::optional<std::uint32_t> tag = std::nullopt, DriverKind kind = DriverKind::legacy) {
  Driver d;
  d.name = std::move(name);
  d.group = std::move(group);
  d.start = start;
  d.tag = tag;
  d.kind = kind;
  return d;
}
std::vector<std::string> names(const Scenario &sc, const LoadPlan &p) {
  std::vector<std::string> out;
  for (int i : p.order)
    out.push_back(sc.drivers[static_cast<std::size_t>(i)].name);
  return out;
}
} // namespace

TEST_SUITE("load order") {
  TEST_CASE("boot loads before system before auto, demand and disabled never load at boot (L1)") {
    Scenario sc;
    sc.drivers = {drv("A", "FSFilter Bottom", StartType::automatic),
                  drv("S", "FSFilter Bottom", StartType::system),
                  drv("D", "FSFilter Bottom", StartType::demand),
                  drv("B", "FSFilter Top", StartType::boot),
                  drv("X", "FSFilter Bottom", StartType::disabled)};
    CHECK(names(sc, resolve_load_order(sc)) == std::vector<std::string>{"B", "S", "A"});
  }

  TEST_CASE(
      "inside a phase, ServiceGroupOrder position decides; unknown and no group load last (L3)") {
    Scenario sc;
    sc.drivers = {drv("NoGroup", std::nullopt, StartType::boot),
                  drv("Custom", "My Custom Group", StartType::boot),
                  drv("Top", "FSFilter Top", StartType::boot),
                  drv("AV", "fsfilter anti-virus", StartType::boot), // case-insensitive
                  drv("Bottom", "FSFilter Bottom", StartType::boot)};
    const LoadPlan p = resolve_load_order(sc);
    CHECK(names(sc, p) == std::vector<std::string>{"Bottom", "AV", "Top", "NoGroup", "Custom"});
    REQUIRE(p.unknown_group.size() == 1);
    CHECK(p.unknown_group[0] == 1);
  }

  TEST_CASE("a scenario's own ServiceGroupOrder replaces the Windows 10 list") {
    Scenario sc;
    sc.service_group_order = std::vector<std::string>{"FSFilter Top", "FSFilter Bottom"};
    sc.drivers = {drv("Bottom", "FSFilter Bottom", StartType::boot),
                  drv("Top", "FSFilter Top", StartType::boot),
                  drv("AV", "FSFilter Anti-Virus", StartType::boot)};
    const LoadPlan p = resolve_load_order(sc);
    CHECK(names(sc, p) == std::vector<std::string>{"Top", "Bottom", "AV"});
    CHECK(p.unknown_group.size() == 1);
  }

  TEST_CASE("tags: GroupOrderList position, then unlisted tags, then no tag (L3)") {
    Scenario sc;
    sc.group_order_list["FSFilter Anti-Virus"] = {9, 4};
    sc.drivers = {drv("NoTag", "FSFilter Anti-Virus", StartType::boot),
                  drv("Unlisted", "FSFilter Anti-Virus", StartType::boot, 1),
                  drv("Second", "FSFilter Anti-Virus", StartType::boot, 4),
                  drv("First", "FSFilter Anti-Virus", StartType::boot, 9)};
    CHECK(names(sc, resolve_load_order(sc)) ==
          std::vector<std::string>{"First", "Second", "Unlisted", "NoTag"});
  }

  TEST_CASE("a group without a GroupOrderList value orders by the raw tag") {
    Scenario sc;
    sc.drivers = {drv("T3", "FSFilter Bottom", StartType::boot, 3),
                  drv("T1", "FSFilter Bottom", StartType::boot, 1)};
    CHECK(names(sc, resolve_load_order(sc)) == std::vector<std::string>{"T1", "T3"});
  }

  TEST_CASE("equal keys keep manifest order and are reported as a tie class (Q4)") {
    Scenario sc;
    sc.drivers = {drv("Second", "FSFilter Bottom", StartType::boot),
                  drv("First", "FSFilter Bottom", StartType::boot),
                  drv("Alone", "FSFilter Top", StartType::boot)};
    const LoadPlan p = resolve_load_order(sc);
    CHECK(names(sc, p) == std::vector<std::string>{"Second", "First", "Alone"});
    REQUIRE(p.ties.size() == 1);
    CHECK(p.ties[0].drivers == std::vector<int>{0, 1});
    // A tie permutation reorders the class.
    CHECK(names(sc, resolve_load_order(sc, {{1, 0}})) ==
          std::vector<std::string>{"First", "Second", "Alone"});
  }

  TEST_CASE("auto start: depends_on moves a service after its dependencies (Q5)") {
    Scenario sc;
    sc.drivers = {drv("AV", "FSFilter Anti-Virus", StartType::automatic),
                  drv("Mon", "FSFilter Activity Monitor", StartType::automatic),
                  drv("Low", "FSFilter Bottom", StartType::automatic)};
    sc.drivers[0].depends_on = {"Mon", "FltMgr"};
    CHECK(names(sc, resolve_load_order(sc)) == std::vector<std::string>{"Low", "Mon", "AV"});
  }

  TEST_CASE("a dependency cycle is an input error that names the cycle") {
    Scenario sc;
    sc.drivers = {drv("A", "FSFilter Bottom", StartType::automatic),
                  drv("B", "FSFilter Bottom", StartType::automatic),
                  drv("C", "FSFilter Bottom", StartType::automatic),
                  drv("Free", "FSFilter Bottom", StartType::automatic)};
    sc.drivers[0].depends_on = {"B"};
    sc.drivers[1].depends_on = {"C"};
    sc.drivers[2].depends_on = {"A"};
    const LoadPlan p = resolve_load_order(sc);
    REQUIRE(p.errors.size() == 1);
    CHECK(p.errors[0].code == "dependency-cycle");
    CHECK(p.errors[0].message.find("A -> B -> C -> A") != std::string::npos);
    CHECK(names(sc, p) == std::vector<std::string>{"Free"});
  }

  TEST_CASE("a self-dependency is a cycle too") {
    Scenario sc;
    sc.drivers = {drv("Self", "FSFilter Bottom", StartType::automatic)};
    sc.drivers[0].depends_on = {"self"};
    const LoadPlan p = resolve_load_order(sc);
    REQUIRE(p.errors.size() == 1);
    CHECK(p.errors[0].message.find("Self -> Self") != std::string::npos);
  }

  TEST_CASE("a missing or disabled dependency keeps an auto service from starting") {
    Scenario sc;
    sc.drivers = {drv("NeedsGhost", "FSFilter Bottom", StartType::automatic),
                  drv("NeedsOff", "FSFilter Bottom", StartType::automatic),
                  drv("Off", "FSFilter Bottom", StartType::disabled),
                  drv("AfterOff", "FSFilter Top", StartType::automatic)};
    sc.drivers[0].depends_on = {"Ghost"};
    sc.drivers[1].depends_on = {"Off"};
    sc.drivers[3].depends_on = {"NeedsOff"};
    const LoadPlan p = resolve_load_order(sc);
    CHECK(names(sc, p).empty());
    REQUIRE(p.missing_dependencies.size() == 1);
    CHECK(p.missing_dependencies[0].second == "Ghost");
  }

  TEST_CASE("duplicate service names are input errors, case-insensitively") {
    Scenario sc;
    sc.drivers = {drv("Dup", "FSFilter Bottom", StartType::boot),
                  drv("DUP", "FSFilter Bottom", StartType::boot)};
    const LoadPlan p = resolve_load_order(sc);
    REQUIRE(p.errors.size() == 1);
    CHECK(p.errors[0].code == "duplicate-driver");
    CHECK(names(sc, p) == std::vector<std::string>{"Dup"});
  }
}
