#include <doctest/doctest.h>

#include <algorithm>

#include "fltsim/sim/engine.hpp"

using namespace fltsim::sim;

namespace {
Driver mini(std::string name, std::string group, StartType start, const char *altitude) {
  Driver d;
  d.name = std::move(name);
  d.group = std::move(group);
  d.start = start;
  d.kind = DriverKind::minifilter;
  d.instances.push_back({d.name + " Instance", Altitude::from_literal(altitude), 0, {}, {}});
  d.default_instance = d.name + " Instance";
  return d;
}
Driver legacy(std::string name, std::optional<std::string> group, StartType start) {
  Driver d;
  d.name = std::move(name);
  d.group = std::move(group);
  d.start = start;
  d.kind = DriverKind::legacy;
  return d;
}
Scenario blog_a() {
  Scenario sc;
  sc.drivers = {mini("FileInfo", "FSFilter Bottom", StartType::boot, "45000"),
                legacy("EncryptionLegacy", "FSFilter Encryption", StartType::boot),
                legacy("AVLegacy", "FSFilter Anti-Virus", StartType::boot),
                mini("AVMiniFilter", "FSFilter Anti-Virus", StartType::boot, "328000"),
                mini("luafv", "FSFilter Virtualization", StartType::automatic, "135000")};
  return sc;
}
std::size_t count_code(const SimResult &r, std::string_view code) {
  return static_cast<std::size_t>(std::count_if(r.findings.begin(), r.findings.end(),
                                                [&](const Finding &f) { return f.code == code; }));
}
} // namespace

TEST_SUITE("engine") {
  TEST_CASE("the trace narrates the blog's walk-through") {
    const SimResult r = simulate(blog_a());
    const auto it = std::find_if(r.trace.begin(), r.trace.end(), [](const TraceStep &t) {
      return t.kind == TraceEvent::frame_raise;
    });
    REQUIRE(it != r.trace.end());
    CHECK(it->driver == "AVMiniFilter");
    CHECK(it->frame == 0);
    CHECK(it->text == "AVMiniFilter (328000) does not fit Frame 0 [0\xE2\x80\x93"
                      "49999]; legacy filters above "
                      "it: EncryptionLegacy 149998.99, AVLegacy 329998.99; Frame 0 grows to "
                      "[0\xE2\x80\x93"
                      "329998.99] (R5).");
    for (std::size_t i = 0; i < r.trace.size(); ++i)
      CHECK(r.trace[i].step == static_cast<int>(i) + 1);
  }

  TEST_CASE("stopping after step N gives the state as of that step") {
    const Scenario sc = blog_a();
    const SimResult full = simulate(sc);
    // Before any step there is nothing; after step 1 Frame 0 exists at [0, 49999].
    SimOptions opt;
    opt.stop_after_step = 0;
    CHECK(simulate(sc, opt).frames.empty());
    opt.stop_after_step = 1;
    SimResult one = simulate(sc, opt);
    CHECK(one.stopped_early);
    REQUIRE(one.frames.size() == 1);
    CHECK(one.frames[0].high == Altitude::from_literal("49999"));
    // The frame-raise step moves the high bound; the following register step adds the filter.
    const auto raise = std::find_if(full.trace.begin(), full.trace.end(), [](const TraceStep &t) {
      return t.kind == TraceEvent::frame_raise;
    });
    opt.stop_after_step = raise->step;
    SimResult at_raise = simulate(sc, opt);
    CHECK(at_raise.frames[0].high == Altitude::from_literal("329998.99"));
    CHECK(at_raise.frames[0].filters.size() == 1); // only FileInfo yet
    opt.stop_after_step = raise->step + 1;
    CHECK(simulate(sc, opt).frames[0].filters.size() == 2);
    opt.stop_after_step = static_cast<int>(full.trace.size()) + 10;
    CHECK_FALSE(simulate(sc, opt).stopped_early);
  }

  TEST_CASE("every inverted (minifilter, legacy) pair is listed, in both directions") {
    Scenario sc;
    // Two minifilters above both legacy altitudes land below them (Frame 0 raised), and a late
    // legacy filter lands above a minifilter of higher altitude... and one minifilter of lower
    // altitude ends above a legacy filter through a new frame.
    sc.drivers = {legacy("Enc", "FSFilter Encryption", StartType::boot),
                  legacy("Hsm", "FSFilter HSM", StartType::boot),
                  mini("Av1", "FSFilter Anti-Virus", StartType::system, "185000"),
                  mini("Av2", "FSFilter Anti-Virus", StartType::system, "188000"),
                  mini("Top", "FSFilter Top", StartType::system, "405000"),
                  mini("Low", "FSFilter Bottom", StartType::demand, "189998.995")};
    sc.events = {{Event::Kind::load, "Low", {}}};
    const SimResult r = simulate(sc);
    // Frame 0 is raised to 189998.99 (Hsm); Av1 185000 and Av2 188000 fit and sit below Enc
    // (149998.99): 2 pairs. Top opens Frame 1 above Hsm: no inversion. Low (189998.995) is
    // above Frame 0's high, so it lands in Frame 1, above Hsm (189998.99): correct order.
    CHECK(count_code(r, "altitude-inversion") == 2);
    for (const Finding &f : r.findings)
      if (f.code == "altitude-inversion")
        CHECK(f.drivers[1] == "Enc");
  }

  TEST_CASE("a legacy filter loading after a minifilter grew Frame 0 sits above it (E5)") {
    Scenario sc;
    sc.drivers = {legacy("AvLegacy", "FSFilter Anti-Virus", StartType::boot),
                  mini("Mon", "FSFilter Activity Monitor", StartType::boot, "385000"),
                  mini("Enc", "FSFilter Encryption", StartType::demand, "145000")};
    // Mon opens Frame 0 up to 329998.99 then Frame 1 [329998.99, 385000]; Enc fits Frame 0.
    sc.events = {{Event::Kind::load, "Enc", {}}};
    SimResult r = simulate(sc);
    CHECK(r.drivers[2].frame == 0);
    CHECK(count_code(r, "altitude-inversion") == 0);
    // A system-start legacy filter loads after the boot-start minifilter that grew Frame 0.
    Scenario sc2;
    sc2.drivers = {mini("Mon", "FSFilter Activity Monitor", StartType::boot, "385000"),
                   legacy("AvLegacy", "FSFilter Anti-Virus", StartType::system),
                   mini("Enc", "FSFilter Encryption", StartType::demand, "395000")};
    sc2.events = {{Event::Kind::load, "Enc", {}}};
    r = simulate(sc2);
    // Mon grows Frame 0 to 385000 before AvLegacy attaches above it: Mon (385000) below AvLegacy
    // (329998.99) is an inversion; Enc (395000) opens Frame 1 above AvLegacy: fine.
    CHECK(count_code(r, "altitude-inversion") == 1);
    CHECK(r.drivers[2].frame == 1);
  }

  TEST_CASE("legacy filters cannot unload, minifilters reload into the same frame (R6)") {
    Scenario sc = blog_a();
    sc.drivers.push_back(mini("Pass", "FSFilter Activity Monitor", StartType::demand, "370000"));
    sc.events = {{Event::Kind::load, "Pass", {}},
                 {Event::Kind::unload, "Pass", {}},
                 {Event::Kind::unload, "EncryptionLegacy", {}},
                 {Event::Kind::load, "Pass", {}}};
    const SimResult r = simulate(sc);
    CHECK(count_code(r, "legacy-unload-refused") == 1);
    CHECK(r.drivers[5].loaded);
    CHECK(r.drivers[5].frame == 1);
    CHECK(r.frames.size() == 2);
    CHECK(r.stack.size() == 4);
  }

  TEST_CASE("events on unknown drivers are input errors, no-op events are findings") {
    Scenario sc = blog_a();
    sc.events = {{Event::Kind::load, "Ghost", {"s.yaml", 7, 5}},
                 {Event::Kind::load, "FileInfo", {}},
                 {Event::Kind::unload, "luafv", {}},
                 {Event::Kind::unload, "luafv", {}}};
    const SimResult r = simulate(sc);
    REQUIRE(r.input_errors.size() == 1);
    CHECK(r.input_errors[0].location.line == 7);
    CHECK(count_code(r, "event-ignored") == 2);
  }

  TEST_CASE("instances attach per volume, flags 0x1 means no automatic attach") {
    Scenario sc;
    sc.volumes = {"C:", "D:", "\\Device\\Mup"};
    Driver a = mini("A", "FSFilter Bottom", StartType::boot, "45000");
    Driver b = mini("B", "FSFilter Bottom", StartType::boot, "45000.000");
    b.instances[0].flags = 1;
    b.instances[0].attach = {"D:"};
    Driver c = mini("C", "FSFilter Bottom", StartType::boot, "46000");
    c.instances[0].flags = 1;
    sc.drivers = {a, b, c};
    const SimResult r = simulate(sc);
    const auto &filters = r.frames[0].filters;
    REQUIRE(filters.size() == 3);
    CHECK(filters[0].name == "A");
    CHECK(filters[0].attached.size() == 3);
    CHECK(filters[1].name == "B");
    CHECK(filters[1].attached.empty()); // collides with A on D:
    CHECK(filters[2].attached.empty()); // flags 0x1, no attach list
    CHECK(count_code(r, "altitude-collision") == 1);
  }

  TEST_CASE("kind both attaches as legacy first, then registers its minifilter") {
    Scenario sc;
    Driver h = mini("Hybrid", "FSFilter Anti-Virus", StartType::boot, "325000");
    h.kind = DriverKind::both;
    sc.drivers = {h};
    const SimResult r = simulate(sc);
    REQUIRE(r.stack.size() == 2);
    CHECK(r.stack[1].name == "Hybrid");
    CHECK(r.frames[0].high == Altitude::from_literal("329998.99"));
    CHECK(r.drivers[0].frame == 0);
    CHECK(r.findings.empty());
  }

  TEST_CASE("a FltMgr entry in the manifest is the filter manager itself, not a second driver") {
    Scenario sc = blog_a();
    sc.drivers.insert(sc.drivers.begin(),
                      legacy("FltMgr", "FSFilter Infrastructure", StartType::boot));
    const SimResult r = simulate(sc);
    CHECK(std::count(r.load_order.begin(), r.load_order.end(), "FltMgr") == 1);
    CHECK(r.stack.size() == 3);
  }

  TEST_CASE("tie exploration finds the blog's order dependence and respects its budget") {
    const TieExploration ex = explore_tie_orders(blog_a());
    CHECK(ex.total_orders == 2);
    CHECK(ex.order_dependent);
    CHECK(ex.drivers_involved == std::vector<std::string>{"AVLegacy", "AVMiniFilter"});
    // 8 legacy filters in one group: 8! = 40320 orders, over a budget of 100 -> sampled.
    Scenario big;
    for (int i = 0; i < 8; ++i)
      big.drivers.push_back(legacy("L" + std::to_string(i), "FSFilter Bottom", StartType::boot));
    ExploreOptions opt;
    opt.max_orders = 100;
    const TieExploration ex2 = explore_tie_orders(big, opt);
    CHECK(ex2.total_orders == 40320);
    CHECK_FALSE(ex2.exhaustive);
    CHECK(ex2.order_dependent); // legacy filters' own stack order differs
    CHECK(ex2.orders_tried <= 100);
  }
}
