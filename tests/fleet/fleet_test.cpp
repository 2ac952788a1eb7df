// The fleet module: classification of one machine (fleet.hpp) and the summary reduce.
#include <doctest/doctest.h>

#include <random>
#include <set>

#include "fltsim/fleet/fleet.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/sim/allocated.hpp"
#include "fltsim/sim/groups.hpp"
#include "support.hpp"

using namespace fltsim;
using fleet::Outcome;

namespace {

sim::Scenario load(const std::string &rel) {
  auto l = inputs::load_scenario_file(std::string(FLTSIM_SOURCE_ROOT) + "/" + rel);
  REQUIRE(l.scenario);
  return *l.scenario;
}

sim::Driver minifilter(const std::string &name, const std::string &group, const char *alt,
                       sim::StartType start = sim::StartType::boot) {
  sim::Driver d;
  d.name = name;
  d.group = group;
  d.start = start;
  d.instances.push_back({name + " Instance", sim::Altitude::from_literal(alt), 0, {}, {}});
  d.default_instance = name + " Instance";
  return d;
}

} // namespace

TEST_CASE("fleet: a new minifilter below an encryption legacy filter is a new inversion") {
  // docs/model.md#example-a: the legacy filters raise Frame 0 (R5) before the new driver loads.
  const sim::Scenario machine = load("scenarios/blog_example_a.yaml");
  fleet::Change change;
  change.add.push_back(minifilter("ContosoAV", "FSFilter Anti-Virus", "328777"));
  const fleet::MachineResult r = fleet::evaluate_machine("a", "10.0.19045", machine, change);
  CHECK(r.outcome == Outcome::new_inversion);
  CHECK(r.responsible == std::vector<std::string>{"EncryptionLegacy"});
  REQUIRE(r.new_findings.size() == 1);
  CHECK(r.new_findings[0].code == "altitude-inversion");
}

TEST_CASE("fleet: an altitude already used on the machine is a new collision") {
  sim::Scenario machine;
  machine.drivers.push_back(minifilter("WdFilter", "FSFilter Anti-Virus", "328010"));
  fleet::Change change;
  change.add.push_back(minifilter("ContosoAV", "FSFilter Anti-Virus", "328010"));
  const fleet::MachineResult r = fleet::evaluate_machine("m", "", machine, change);
  CHECK(r.outcome == Outcome::new_collision);
  CHECK(r.responsible == std::vector<std::string>{"WdFilter"});
}

TEST_CASE("fleet: clean, unchanged and the change applied") {
  sim::Scenario machine;
  machine.drivers.push_back(minifilter("FileInfo", "FSFilter Bottom", "40500"));
  machine.drivers.push_back(minifilter("WdFilter", "FSFilter Anti-Virus", "328010"));
  fleet::Change add;
  add.add.push_back(minifilter("ContosoAV", "FSFilter Anti-Virus", "328777"));
  CHECK(fleet::evaluate_machine("m", "", machine, add).outcome == Outcome::clean);

  fleet::Change absent;
  absent.remove.push_back("NotInstalled");
  CHECK(fleet::evaluate_machine("m", "", machine, absent).outcome == Outcome::unchanged);

  // A demand-start driver never loads at boot: the stack is the same.
  fleet::Change demand;
  demand.add.push_back(
      minifilter("ContosoAV", "FSFilter Anti-Virus", "328777", sim::StartType::demand));
  CHECK(fleet::evaluate_machine("m", "", machine, demand).outcome == Outcome::unchanged);

  // Replacing keeps the install position; a new driver comes last.
  fleet::Change upgrade;
  upgrade.add.push_back(minifilter("FileInfo", "FSFilter Bottom", "40600"));
  upgrade.add.push_back(minifilter("ContosoAV", "FSFilter Anti-Virus", "328777"));
  const sim::Scenario after = fleet::apply_change(machine, upgrade);
  REQUIRE(after.drivers.size() == 3);
  CHECK(after.drivers[0].instances[0].altitude.text() == "40600");
  CHECK(after.drivers[2].name == "ContosoAV");
}

TEST_CASE("fleet: removing a driver removes its events and only its") {
  sim::Scenario machine;
  machine.drivers.push_back(minifilter("FileInfo", "FSFilter Bottom", "40500"));
  machine.drivers.push_back(minifilter("Gone", "FSFilter Anti-Virus", "328777"));
  for (const char *name : {"gone", "FileInfo", "Gone"}) // names compare case-insensitively
    machine.events.push_back({sim::Event::Kind::unload, name, {}});
  fleet::Change remove;
  remove.remove.push_back("Gone");
  const sim::Scenario after = fleet::apply_change(machine, remove);
  REQUIRE(after.drivers.size() == 1);
  REQUIRE(after.events.size() == 1);
  CHECK(after.events[0].driver == "FileInfo");
}

TEST_CASE("fleet: removing a legacy filter that held a minifilter in Frame 0 is an order change") {
  // Without AVLegacy, Frame 0 is raised only to EncryptionLegacy's 149998.99 (R5), so
  // AVMiniFilter (328000) gets a frame above EncryptionLegacy: the two swap in the I/O path.
  const sim::Scenario machine = load("scenarios/blog_example_a.yaml");
  fleet::Change change;
  change.remove.push_back("AVLegacy");
  const fleet::MachineResult r = fleet::evaluate_machine("a", "", machine, change);
  CHECK(r.outcome == Outcome::order_change);
  CHECK_FALSE(r.moved.empty());
  CHECK(r.responsible == r.moved);
}

TEST_CASE("fleet: an invalid machine scenario is an input error, not a crash") {
  sim::Scenario machine;
  sim::Driver a = minifilter("A", "FSFilter Bottom", "40500");
  a.depends_on = {"B"};
  sim::Driver b = minifilter("B", "FSFilter Bottom", "40600");
  b.depends_on = {"A"};
  machine.drivers = {a, b};
  machine.drivers[0].start = machine.drivers[1].start = sim::StartType::automatic;
  fleet::Change change;
  change.add.push_back(minifilter("ContosoAV", "FSFilter Anti-Virus", "328777"));
  const fleet::MachineResult r = fleet::evaluate_machine("m", "", machine, change);
  CHECK(r.outcome == Outcome::input_error);
  CHECK_FALSE(r.errors.empty());
}

namespace {

fleet::MachineResult random_result(std::mt19937 &rng) {
  static const char *builds[] = {"", "10.0.19045", "10.0.22631", "10.0.26100"};
  static const char *filters[] = {"WdFilter", "wdfilter", "EncryptionLegacy", "ExampleAV", "Z"};
  fleet::MachineResult r;
  r.outcome = static_cast<Outcome>(rng() % fleet::outcome_count);
  r.build = builds[rng() % 4];
  if (fleet::is_problem(r.outcome))
    for (auto k = rng() % 3; k > 0; --k)
      r.responsible.push_back(filters[rng() % 5]);
  return r;
}

fleet::Summary summary_of(const std::vector<fleet::MachineResult> &rs, std::size_t from,
                          std::size_t to) {
  fleet::Summary s;
  s.change = "add X";
  for (std::size_t i = from; i < to; ++i) {
    s.add(rs[i]);
    s.add_suggestion({"", std::to_string(320000 + i % 3)}, rs[i].outcome);
  }
  return s;
}

} // namespace

TEST_CASE("fleet: merge is associative and commutative and equals one run") {
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<fleet::MachineResult> rs;
    const std::size_t n = 1 + rng() % 60;
    for (std::size_t i = 0; i < n; ++i)
      rs.push_back(random_result(rng));
    const std::size_t i = rng() % (n + 1), j = i + rng() % (n - i + 1);
    const fleet::Summary a = summary_of(rs, 0, i), b = summary_of(rs, i, j),
                         c = summary_of(rs, j, n), all = summary_of(rs, 0, n);
    const auto ab_c = fleet::merge(*fleet::merge(a, b), c);
    const auto a_bc = fleet::merge(a, *fleet::merge(b, c));
    const auto cb_a = fleet::merge(*fleet::merge(c, b), a);
    REQUIRE(ab_c);
    REQUIRE(a_bc);
    REQUIRE(cb_a);
    CHECK(*ab_c == *a_bc);
    CHECK(*ab_c == *cb_a);
    CHECK(*ab_c == all);
    CHECK(fleet::merge(fleet::Summary{}, all) == all); // the empty summary is neutral
  }
}

TEST_CASE("fleet: filters differing only in case are one responsible filter") {
  fleet::Summary s;
  fleet::MachineResult r;
  r.outcome = Outcome::new_collision;
  r.responsible = {"wdfilter"};
  s.add(r);
  r.responsible = {"WdFilter"};
  s.add(r);
  REQUIRE(s.filters.size() == 1);
  CHECK(s.filters.begin()->second.name == "WdFilter"); // the smallest spelling, order-free
  CHECK(s.filters.begin()->second.counts[static_cast<std::size_t>(Outcome::new_collision)] == 2);
}

TEST_CASE("fleet: summaries of different changes do not merge") {
  fleet::Summary a, b;
  a.change = "add X";
  b.change = "add Y";
  a.machines = b.machines = 1;
  a.outcomes[1] = b.outcomes[1] = 1;
  std::string why;
  CHECK_FALSE(fleet::merge(a, b, &why));
  CHECK(why.find("different changes") != std::string::npos);
}

TEST_CASE("fleet: suggestion candidates stay in documented ranges and avoid allocated altitudes") {
  fleet::Change change;
  change.add.push_back(minifilter("ContosoAV", "FSFilter Anti-Virus", "328777"));
  const auto cands = fleet::suggestion_candidates(change);
  REQUIRE(cands.size() > 10);
  int own = 0;
  for (const auto &c : cands) {
    CAPTURE(c.key());
    const sim::GroupInfo *g = sim::find_group(c.group.empty() ? "FSFilter Anti-Virus" : c.group);
    REQUIRE(g);
    const auto a = sim::Altitude::from_literal(c.altitude);
    CHECK(a >= sim::Altitude::from_literal(g->low));
    CHECK(a <= sim::Altitude::from_literal(g->high));
    CHECK_FALSE(sim::builtin_allocated_altitudes().is_allocated(a));
    own += c.group.empty();
  }
  CHECK(own == 7);
  const fleet::Change moved = fleet::with_candidate(change, cands.front());
  CHECK(moved.add[0].find_default_instance()->altitude.text() == cands.front().altitude);
}

TEST_CASE("fleet: a new collision outranks a new inversion on the same machine") {
  // docs/model.md#example-a without its minifilter, plus an auto-start scanner at 328000 that
  // already sits below the encryption legacy filter (an old inversion). The added boot-start
  // driver at the same altitude lands in Frame 0 below EncryptionLegacy (a new inversion, R5)
  // and the scanner, registering later, collides with it (a new collision, A4).
  sim::Scenario machine;
  machine.drivers.push_back(minifilter("FileInfo", "FSFilter Bottom", "45000"));
  sim::Driver enc;
  enc.name = "EncryptionLegacy";
  enc.kind = sim::DriverKind::legacy;
  enc.group = "FSFilter Encryption";
  enc.start = sim::StartType::boot;
  machine.drivers.push_back(enc);
  sim::Driver av = enc;
  av.name = "AVLegacy";
  av.group = "FSFilter Anti-Virus";
  machine.drivers.push_back(av);
  machine.drivers.push_back(
      minifilter("Scanner", "FSFilter Anti-Virus", "328000", sim::StartType::automatic));
  fleet::Change change;
  change.add.push_back(minifilter("ContosoAV", "FSFilter Anti-Virus", "328000"));
  const fleet::MachineResult r = fleet::evaluate_machine("m", "", machine, change);
  std::set<std::string> codes;
  for (const auto &f : r.new_findings)
    codes.insert(f.code);
  // Both kinds are new here, so the outcome is decided by precedence alone.
  REQUIRE(codes.contains("altitude-collision"));
  REQUIRE(codes.contains("altitude-inversion"));
  CHECK(r.outcome == Outcome::new_collision);
  CHECK(r.responsible == std::vector<std::string>{"Scanner"});
}
