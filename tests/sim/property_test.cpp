// Property tests over thousands of random scenarios: the invariants of R3-R7
// (docs/model.md#frames).
#include <doctest/doctest.h>

#include <map>

#include "fltsim/sim/engine.hpp"
#include "random_scenario.hpp"

using namespace fltsim;
using namespace fltsim::sim;

namespace {

void check_invariants(const Scenario &sc, const SimResult &r) {
  REQUIRE(!r.frames.empty());
  CHECK(r.frames[0].low == Altitude::from_literal("0"));
  for (std::size_t i = 0; i < r.frames.size(); ++i) {
    const Frame &f = r.frames[i];
    CHECK(f.id == static_cast<int>(i));
    CHECK(f.low <= f.high);
    if (i > 0) // contiguous and non-overlapping: low of one is the high of the one below
      CHECK(f.low == r.frames[i - 1].high);
    for (std::size_t k = 0; k < f.filters.size(); ++k) {
      const FrameFilter &ff = f.filters[k];
      // every minifilter's default altitude lies inside its frame
      CHECK(f.low <= ff.altitude);
      CHECK(ff.altitude <= f.high);
      if (k > 0)
        CHECK(f.filters[k - 1].altitude <= ff.altitude);
      // a filter not at the lowest frame that holds it would break R3's "lowest frame" rule
      if (i > 0 && ff.altitude == f.low)
        FAIL("a filter at a frame boundary must be in the lower frame (E6)");
    }
  }
  // Each frame appears exactly once in the stack, in id order.
  int next_frame = 0;
  for (const StackEntry &e : r.stack)
    if (e.kind == StackEntry::Kind::frame)
      CHECK(e.frame == next_frame++);
  CHECK(next_frame == static_cast<int>(r.frames.size()));
  // The stack is the registration order: frame creations and legacy attachments in trace order.
  std::vector<std::string> registrations;
  for (const TraceStep &t : r.trace) {
    if (t.kind == sim::TraceEvent::fltmgr_start || t.kind == sim::TraceEvent::frame_create)
      registrations.push_back("F" + std::to_string(t.frame));
    else if (t.kind == sim::TraceEvent::legacy_attach)
      registrations.push_back(t.driver);
  }
  std::vector<std::string> stack;
  for (const StackEntry &e : r.stack)
    stack.push_back(e.kind == StackEntry::Kind::frame ? "F" + std::to_string(e.frame) : e.name);
  CHECK(stack == registrations);
  // Loaded minifilters are in exactly one frame: the one DriverOutcome names.
  std::map<int, int> frame_of;
  for (const Frame &f : r.frames)
    for (const FrameFilter &ff : f.filters) {
      CHECK_FALSE(frame_of.count(ff.driver));
      frame_of[ff.driver] = f.id;
    }
  for (std::size_t i = 0; i < sc.drivers.size(); ++i) {
    auto it = frame_of.find(static_cast<int>(i));
    if (it != frame_of.end()) {
      CHECK(r.drivers[i].loaded);
      CHECK(r.drivers[i].frame == it->second);
    }
  }
}

} // namespace

TEST_CASE("random scenarios keep the frame invariants and are deterministic") {
  for (std::uint64_t seed = 1; seed <= 3000; ++seed) {
    CAPTURE(seed);
    test::RandomScenarioOptions o;
    o.drivers = 5 + seed % 40;
    o.legacy_share = 0.05 + static_cast<double>(seed % 7) * 0.05;
    const Scenario sc = test::random_scenario(seed, o);
    const SimResult r = simulate(sc);
    CHECK(r.input_errors.empty());
    check_invariants(sc, r);
    const SimResult again = simulate(sc);
    CHECK(outcome_signature(r) == outcome_signature(again));
    CHECK(outcome_signature_size(r) == outcome_signature(r).size());
    CHECK(r.findings.size() == again.findings.size());
    CHECK(r.trace.size() == again.trace.size());
  }
}

TEST_CASE("stopping at any step yields a prefix of the full replay") {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    CAPTURE(seed);
    const Scenario sc = test::random_scenario(seed * 7919);
    const SimResult full = simulate(sc);
    for (int n = 0; n <= static_cast<int>(full.trace.size()); n += 3) {
      SimOptions opt;
      opt.stop_after_step = n;
      const SimResult part = simulate(sc, opt);
      REQUIRE(part.trace.size() == static_cast<std::size_t>(n));
      for (std::size_t k = 0; k < part.trace.size(); ++k)
        CHECK(part.trace[k].text == full.trace[k].text);
      CHECK(part.frames.size() <= full.frames.size());
      CHECK(part.stack.size() <= full.stack.size());
    }
  }
}

namespace {

// Everything simulate() returns, as text, for comparing two runs.
std::string dump(const SimResult &r) {
  std::string s = r.scenario + "\n";
  for (const std::string &n : r.load_order)
    s += "load " + n + "\n";
  for (const Frame &f : r.frames) {
    s += "frame " + std::to_string(f.id) + " " + f.low.text() + " " + f.high.text() + "\n";
    for (const FrameFilter &ff : f.filters) {
      s += "  " + std::to_string(ff.driver) + " " + ff.name + " " + ff.altitude.text();
      for (const FrameFilter::Attached &a : ff.attached)
        s += " " + std::to_string(a.instance) + "@" + a.volume;
      s += "\n";
    }
  }
  for (const StackEntry &e : r.stack)
    s += "stack " + std::to_string(static_cast<int>(e.kind)) + " " + std::to_string(e.frame) + " " +
         std::to_string(e.driver) + " " + e.name + " " + (e.altitude ? e.altitude->text() : "-") +
         "\n";
  for (const Finding &f : r.findings) {
    s += "finding " + f.code + " " + f.message;
    for (const std::string &d : f.drivers)
      s += " d:" + d;
    for (const std::string &i : f.instances)
      s += " i:" + i;
    s += "\n";
  }
  for (const TraceStep &t : r.trace)
    s += "trace " + std::to_string(t.step) + " " + to_string(t.kind) + " " + t.driver + " " +
         std::to_string(t.frame) + " " + t.text + "\n";
  for (const DriverOutcome &d : r.drivers)
    s += "driver " + std::to_string(d.loaded) + " " + std::to_string(d.frame) + " " +
         std::to_string(d.stack_position) + " " + std::to_string(d.load_position) + "\n";
  for (const VolumeStack &v : r.volumes) {
    s += "volume " + v.volume;
    for (const VolumeStack::Entry &e : v.filters)
      s += " " + e.name + "/" + std::to_string(e.instance);
    s += "\n";
  }
  for (const sim::Diagnostic &d : r.input_errors)
    s += "error " + d.code + " " + d.message + "\n";
  s += r.stopped_early ? "stopped\n" : "";
  return s;
}

} // namespace

TEST_CASE("simulate_appended gives simulate()'s result whether or not it extends the plan") {
  for (std::uint64_t seed = 1; seed <= 2000; ++seed) {
    CAPTURE(seed);
    test::RandomScenarioOptions o;
    o.drivers = 4 + seed % 30;
    Scenario full = test::random_scenario(seed * 104729, o);
    std::mt19937_64 rng(seed);
    auto pick = [&](std::size_t n) {
      return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
    };
    if (pick(6) == 0)
      full.service_group_order = std::vector<std::string>{
          "FSFilter Bottom", "fsfilter anti-virus", "FSFilter Activity Monitor", "FSFilter Top"};
    if (pick(4) == 0)
      full.group_order_list["FSFilter Anti-Virus"] = {3, 1, 2};
    const std::size_t added = 1 + pick(3);
    const std::size_t m = full.drivers.size() - added;
    // Mostly what the fleet appends (boot or system, no dependencies); sometimes what makes
    // simulate_appended() resolve again.
    for (std::size_t a = m; a < full.drivers.size(); ++a) {
      Driver &d = full.drivers[a];
      switch (pick(12)) {
      case 0:
        d.depends_on.push_back(full.drivers[pick(m)].name);
        break;
      case 1:
        full.drivers[pick(m)].depends_on.push_back(d.name);
        break;
      case 2:
        d.name = full.drivers[pick(m)].name; // a duplicate
        break;
      case 3:
        d.start = StartType::automatic;
        break;
      case 4:
        d.name = "FltMgr";
        break;
      default:
        d.start = pick(2) == 0 ? StartType::boot : StartType::system;
        break;
      }
    }
    Scenario sc = full;
    sc.drivers.resize(m);
    SimOptions opt;
    opt.record_trace = pick(2) == 0;
    opt.volume_stacks = pick(2) == 0;
    Workspace before, after;
    (void)simulate(sc, opt, before);
    sc.drivers.insert(sc.drivers.end(), full.drivers.begin() + static_cast<std::ptrdiff_t>(m),
                      full.drivers.end());
    const std::string expected = dump(simulate(sc, opt));
    CHECK(dump(simulate_appended(sc, m, before, opt, after)) == expected);
    // Again with workspaces that hold a previous run (and a base of another scenario).
    (void)simulate(full, opt, after);
    CHECK(dump(simulate_appended(sc, m, before, opt, after)) == expected);
    CHECK(dump(simulate_appended(sc, m, after, opt, before)) == expected);
  }
}
