// One test case per rule of docs/model.md (R1-R7, L1-L6, A1-A5 and the edge cases the engine
// implements), each able to fail on its own: a mutation of the rule's code makes exactly its case
// (and maybe a few others) fail, not only a distant end-to-end assertion.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/groups.hpp"
#include "fltsim/sim/load_order.hpp"

using namespace fltsim::sim;

namespace {

Altitude alt(const char *text) {
  return Altitude::from_literal(text);
}

Driver mini(std::string name, std::optional<std::string> group, StartType start,
            const char *altitude) {
  Driver d;
  d.name = std::move(name);
  d.group = std::move(group);
  d.start = start;
  d.kind = DriverKind::minifilter;
  d.instances.push_back({d.name + " Instance", alt(altitude), 0, {}, {}});
  d.default_instance = d.name + " Instance";
  return d;
}

Driver legacy(std::string name, std::optional<std::string> group,
              StartType start = StartType::boot) {
  Driver d;
  d.name = std::move(name);
  d.group = std::move(group);
  d.start = start;
  d.kind = DriverKind::legacy;
  return d;
}

std::size_t count_code(const SimResult &r, std::string_view code) {
  return static_cast<std::size_t>(std::count_if(r.findings.begin(), r.findings.end(),
                                                [&](const Finding &f) { return f.code == code; }));
}

int frame_of(const Scenario &sc, const SimResult &r, const std::string &name) {
  const int i = sc.find_driver(name);
  REQUIRE(i >= 0);
  return r.drivers[static_cast<std::size_t>(i)].frame;
}

std::vector<std::string> names_in_order(const Scenario &sc, const LoadPlan &p) {
  std::vector<std::string> out;
  for (int i : p.order)
    out.push_back(sc.drivers[static_cast<std::size_t>(i)].name);
  return out;
}

// The stack bottom to top as names: "F<id>" for a frame, the driver name for a legacy device.
std::vector<std::string> stack_names(const SimResult &r) {
  std::vector<std::string> out;
  for (const StackEntry &e : r.stack)
    out.push_back(e.kind == StackEntry::Kind::frame ? "F" + std::to_string(e.frame) : e.name);
  return out;
}

Event load(std::string driver) {
  return {Event::Kind::load, std::move(driver), {}};
}
Event unload(std::string driver) {
  return {Event::Kind::unload, std::move(driver), {}};
}

} // namespace

TEST_SUITE("model rules") {
  // ---- Altitudes (A1-A5) ---------------------------------------------------------------------

  TEST_CASE("A1: digits with at most one point, empty, signs, letters, two points refused") {
    for (const char *ok : {"0", "03333", "100.123456", ".5", "5.", "328000"})
      CHECK_MESSAGE(Altitude::parse(ok).has_value(), ok);
    for (const char *bad : {"", ".", "1.2.3", "12a", "-5", "+5", " 5", "328,000"})
      CHECK_MESSAGE(!Altitude::parse(bad).has_value(), bad);
    CHECK(Altitude::parse(std::string(Altitude::max_length, '1')).has_value());
    CHECK(!Altitude::parse(std::string(Altitude::max_length + 1, '1')).has_value());
  }

  TEST_CASE("A2: leading integer zeros do not count") {
    CHECK(alt("03333") == alt("3333"));
    CHECK(alt("0000045000") == alt("45000"));
    CHECK(alt("00") == alt("0"));
    CHECK(alt("03333") > alt("100.123456")); // integer length decides, not the text
    CHECK(alt("045000").canonical() == "45000");
  }

  TEST_CASE("A2: every trailing fraction zero is dropped, not only the last one") {
    CHECK(alt("370000.0") == alt("370000"));
    CHECK(alt("370000.00") == alt("370000"));
    CHECK(alt("370000.000") == alt("370000"));
    CHECK(alt("370000.500") == alt("370000.5"));
    CHECK(alt("370000.00").canonical() == "370000");
    CHECK(alt("5.") == alt("5"));
    CHECK(alt("370000.01") > alt("370000"));
  }

  TEST_CASE("A2: fractions compare digit by digit, integers by length first") {
    CHECK(alt("5.5") < alt("5.51"));
    CHECK(alt("5.49") < alt("5.5"));
    CHECK(alt("99999") < alt("100000"));
    CHECK(alt("100.123456") < alt("101"));
    CHECK(alt(".5") == alt("0.5"));
  }

  TEST_CASE("A3: an instance at exactly its frame's low end attaches") {
    // Frame 1 = [149998.99, 160030]; Extra's default (160000) puts it there and its second
    // instance sits at exactly the low end.
    Scenario sc;
    sc.drivers = {legacy("EncryptionLegacy", "FSFilter Encryption"),
                  mini("Dummy", "FSFilter Compression", StartType::boot, "160030")};
    Driver extra = mini("Extra", "FSFilter Compression", StartType::boot, "160000");
    extra.instances.push_back({"Low", alt("149998.99"), 0, {}, {}});
    sc.drivers.push_back(extra);
    const SimResult r = simulate(sc);
    REQUIRE(r.frames.size() == 2);
    CHECK(r.frames[1].low == alt("149998.99"));
    CHECK(frame_of(sc, r, "Extra") == 1);
    CHECK(count_code(r, rule::instance_outside_frame) == 0);
    const auto &filters = r.frames[1].filters;
    const auto it = std::find_if(filters.begin(), filters.end(),
                                 [](const FrameFilter &f) { return f.name == "Extra"; });
    REQUIRE(it != filters.end());
    CHECK(it->attached.size() == 2);
  }

  TEST_CASE("A3: an instance at exactly its frame's high end attaches") {
    Scenario sc;
    sc.drivers = {mini("Low", "FSFilter Bottom", StartType::boot, "45000")};
    sc.drivers[0].instances.push_back({"Top", alt("49999"), 0, {}, {}});
    const SimResult r = simulate(sc);
    CHECK(count_code(r, rule::instance_outside_frame) == 0);
    REQUIRE(r.frames.size() == 1);
    CHECK(r.frames[0].filters.at(0).attached.size() == 2);
  }

  TEST_CASE("A3: an instance outside its frame fails with STATUS_NOT_SUPPORTED") {
    Scenario sc;
    Driver d = mini("Wide", "FSFilter Bottom", StartType::boot, "45000");
    d.instances.push_back({"High", alt("49999.01"), 0, {}, {}});
    sc.drivers = {d};
    const SimResult r = simulate(sc);
    CHECK(count_code(r, rule::instance_outside_frame) == 1);
    CHECK(r.frames.at(0).filters.at(0).attached.size() == 1);
    // Below the low end fails too: Frame 1 = [149998.99, 160030].
    Scenario sc2;
    Driver e = mini("Extra", "FSFilter Compression", StartType::boot, "160000");
    e.instances.push_back({"Below", alt("149998.98"), 0, {}, {}});
    sc2.drivers = {legacy("EncryptionLegacy", "FSFilter Encryption"),
                   mini("Dummy", "FSFilter Compression", StartType::boot, "160030"), e};
    CHECK(count_code(simulate(sc2), rule::instance_outside_frame) == 1);
  }

  TEST_CASE("A4: one instance per altitude per volume, equality by A2") {
    Scenario sc;
    sc.drivers = {mini("First", "FSFilter Activity Monitor", StartType::boot, "370000"),
                  mini("Second", "FSFilter Activity Monitor", StartType::boot, "370000.00")};
    const SimResult r = simulate(sc);
    REQUIRE(count_code(r, rule::altitude_collision) == 1);
    const auto f = std::find_if(r.findings.begin(), r.findings.end(), [](const Finding &x) {
      return x.code == rule::altitude_collision;
    });
    CHECK(f->drivers == std::vector<std::string>{"Second", "First"}); // the later one fails
    // On different volumes they do not collide.
    sc.volumes = {"C:", "D:"};
    sc.drivers[0].instances[0].attach = {"C:"};
    sc.drivers[1].instances[0].attach = {"D:"};
    CHECK(count_code(simulate(sc), rule::altitude_collision) == 0);
  }

  TEST_CASE("A5: no default instance: FltRegisterFilter fails, a both driver keeps its legacy") {
    Scenario sc;
    Driver d = mini("NoDefault", "FSFilter Bottom", StartType::boot, "45000");
    d.default_instance = "Missing";
    Driver both = mini("Both", "FSFilter Encryption", StartType::boot, "145000");
    both.kind = DriverKind::both;
    both.default_instance.reset();
    sc.drivers = {d, both};
    const SimResult r = simulate(sc);
    CHECK(count_code(r, rule::missing_default_instance) == 2);
    CHECK(!r.drivers[0].loaded);
    CHECK(r.drivers[0].frame == -1);
    CHECK(r.frames.at(0).filters.empty());
    CHECK(stack_names(r) == std::vector<std::string>{"F0", "Both"});
  }

  // ---- Frames (R1-R7) ------------------------------------------------------------------------

  TEST_CASE("R1: fltmgr runs first and opens Frame 0 = [0, 49999]") {
    const SimResult r = simulate(Scenario{});
    REQUIRE(r.frames.size() == 1);
    CHECK(r.frames[0].id == 0);
    CHECK(r.frames[0].low.text() == "0");
    CHECK(r.frames[0].high.text() == "49999");
    CHECK(r.load_order == std::vector<std::string>{"FltMgr"});
    CHECK(stack_names(r) == std::vector<std::string>{"F0"});
  }

  TEST_CASE("R2: a legacy filter attaches on top with its group's altitude, no frame changes") {
    Scenario sc;
    sc.drivers = {legacy("EncryptionLegacy", "FSFilter Encryption"),
                  legacy("NoGroup", std::nullopt)};
    const SimResult r = simulate(sc);
    REQUIRE(r.frames.size() == 1);
    CHECK(r.frames[0].high.text() == "49999");
    CHECK(stack_names(r) == std::vector<std::string>{"F0", "EncryptionLegacy", "NoGroup"});
    REQUIRE(r.stack[1].altitude.has_value());
    CHECK(r.stack[1].altitude->text() == "149998.99");
    CHECK(!r.stack[2].altitude.has_value());
  }

  TEST_CASE("R3: the lowest frame whose inclusive high holds the altitude wins") {
    // Frames F0 [0, 149998.99], F1 [149998.99, 160030]; then a filter at exactly 149998.99 goes
    // to Frame 0 (E6), one at 149999 to Frame 1, one at 45000 to Frame 0.
    Scenario sc;
    sc.drivers = {legacy("EncryptionLegacy", "FSFilter Encryption"),
                  mini("Dummy", "FSFilter Compression", StartType::boot, "160030"),
                  mini("AtBoundary", "FSFilter Compression", StartType::automatic, "149998.99"),
                  mini("JustAbove", "FSFilter Compression", StartType::automatic, "149999"),
                  mini("Bottom", "FSFilter Bottom", StartType::automatic, "45000")};
    const SimResult r = simulate(sc);
    REQUIRE(r.frames.size() == 2);
    CHECK(frame_of(sc, r, "AtBoundary") == 0);
    CHECK(frame_of(sc, r, "JustAbove") == 1);
    CHECK(frame_of(sc, r, "Bottom") == 0);
    CHECK(r.frames[0].high.text() == "149998.99"); // nothing grew
  }

  TEST_CASE("R3: an altitude equal to the top frame's high fits without growing it") {
    Scenario sc;
    sc.drivers = {mini("AtHigh", "FSFilter Bottom", StartType::boot, "49999")};
    const SimResult r = simulate(sc);
    REQUIRE(r.frames.size() == 1);
    CHECK(r.frames[0].high.text() == "49999");
    const bool grew = std::any_of(r.trace.begin(), r.trace.end(), [](const TraceStep &t) {
      return t.kind == TraceEvent::frame_grow || t.kind == TraceEvent::frame_raise ||
             t.kind == TraceEvent::frame_create;
    });
    CHECK(!grew);
  }

  TEST_CASE("R4.3: nothing registered since the top frame: the top frame grows to A") {
    Scenario sc;
    sc.drivers = {mini("Luafv", "FSFilter Virtualization", StartType::boot, "135000")};
    const SimResult r = simulate(sc);
    REQUIRE(r.frames.size() == 1);
    CHECK(r.frames[0].high.text() == "135000");
    CHECK(frame_of(sc, r, "Luafv") == 0);
  }

  TEST_CASE("R4.4: a registration since the top frame: a new frame opens on top") {
    // A legacy filter without altitude (E3) registered after Frame 0, so R5 raises nothing and
    // R4 keeps a new frame whose low is a copy of the old top's high.
    Scenario sc;
    sc.drivers = {legacy("Infra", "FSFilter Infrastructure"),
                  mini("Luafv", "FSFilter Virtualization", StartType::boot, "135000")};
    const SimResult r = simulate(sc);
    REQUIRE(r.frames.size() == 2);
    CHECK(r.frames[1].id == 1);
    CHECK(r.frames[1].low.text() == "49999");
    CHECK(r.frames[1].high.text() == "135000");
    CHECK(frame_of(sc, r, "Luafv") == 1);
    CHECK(stack_names(r) == std::vector<std::string>{"F0", "Infra", "F1"});
  }

  TEST_CASE("R5: the top frame is raised to the highest legacy altitude registered after it") {
    Scenario sc;
    sc.drivers = {legacy("AVLegacy", "FSFilter Anti-Virus"),
                  legacy("EncryptionLegacy", "FSFilter Encryption"),
                  mini("AVMiniFilter", "FSFilter Anti-Virus", StartType::automatic, "328000")};
    const SimResult r = simulate(sc);
    REQUIRE(r.frames.size() == 1);
    CHECK(r.frames[0].high.text() == "329998.99"); // the maximum, whatever the order
    CHECK(frame_of(sc, r, "AVMiniFilter") == 0);
    CHECK(count_code(r, rule::altitude_inversion) == 1); // below EncryptionLegacy
  }

  TEST_CASE("R5: only legacy filters registered after the top frame raise it") {
    // Blog example B: EncryptionLegacy is below Frame 1, so only AVLegacy raises Frame 1, and
    // Frame 0 keeps 149998.99.
    Scenario sc;
    sc.drivers = {mini("FileInfo", "FSFilter Bottom", StartType::boot, "45000"),
                  legacy("EncryptionLegacy", "FSFilter Encryption"),
                  mini("NullFilter", "FSFilter Compression", StartType::boot, "160030"),
                  legacy("AVLegacy", "FSFilter Anti-Virus"),
                  mini("AVMiniFilter", "FSFilter Anti-Virus", StartType::boot, "328000")};
    const SimResult r = simulate(sc);
    REQUIRE(r.frames.size() == 2);
    CHECK(r.frames[0].high.text() == "149998.99");
    CHECK(r.frames[1].low.text() == "149998.99");
    CHECK(r.frames[1].high.text() == "329998.99");
    CHECK(frame_of(sc, r, "AVMiniFilter") == 1);
    CHECK(count_code(r, rule::altitude_inversion) == 0);
  }

  TEST_CASE("R6: frames chain low == previous high and never shrink, reload lands in place") {
    Scenario sc;
    sc.drivers = {legacy("EncryptionLegacy", "FSFilter Encryption"),
                  mini("Dummy", "FSFilter Compression", StartType::boot, "160030"),
                  mini("Late", "FSFilter Bottom", StartType::demand, "45000")};
    sc.events = {unload("Dummy"), load("Late"), load("Dummy")};
    const SimResult r = simulate(sc);
    REQUIRE(r.frames.size() == 2);
    CHECK(r.frames[1].low.text() == r.frames[0].high.text());
    CHECK(r.frames[1].high.text() == "160030"); // kept while Dummy was unloaded
    CHECK(frame_of(sc, r, "Dummy") == 1);
    CHECK(r.drivers[1].loaded);
  }

  TEST_CASE("R6 / 5.2: an unloaded minifilter frees its instance altitudes") {
    Scenario sc;
    sc.drivers = {mini("Old", "FSFilter Activity Monitor", StartType::boot, "370000"),
                  mini("New", "FSFilter Activity Monitor", StartType::demand, "370000")};
    sc.events = {unload("Old"), load("New")};
    const SimResult r = simulate(sc);
    CHECK(count_code(r, rule::altitude_collision) == 0);
    CHECK(r.drivers[1].loaded);
    CHECK(!r.drivers[0].loaded);
    const Frame &f = r.frames.at(0);
    REQUIRE(f.filters.size() == 1);
    CHECK(f.filters[0].name == "New");
    CHECK(f.filters[0].attached.size() == 1);
  }

  TEST_CASE("R6 / 5.2: a legacy filter cannot unload") {
    Scenario sc;
    sc.drivers = {legacy("Stuck", "FSFilter Encryption")};
    sc.events = {unload("Stuck")};
    const SimResult r = simulate(sc);
    CHECK(count_code(r, rule::legacy_unload_refused) == 1);
    CHECK(stack_names(r) == std::vector<std::string>{"F0", "Stuck"});
  }

  TEST_CASE("R7: the stack bottom to top is registration order, frames sort by altitude") {
    Scenario sc;
    sc.drivers = {mini("FileInfo", "FSFilter Bottom", StartType::boot, "45000"),
                  legacy("EncryptionLegacy", "FSFilter Encryption"),
                  mini("NullFilter", "FSFilter Compression", StartType::boot, "160030"),
                  legacy("AVLegacy", "FSFilter Anti-Virus"),
                  mini("Luafv", "FSFilter Virtualization", StartType::automatic, "135000"),
                  mini("Low", "FSFilter Bottom", StartType::automatic, "41000")};
    const SimResult r = simulate(sc);
    CHECK(stack_names(r) == std::vector<std::string>{"F0", "EncryptionLegacy", "F1", "AVLegacy"});
    const auto &f0 = r.frames.at(0).filters;
    REQUIRE(f0.size() == 3);
    CHECK(f0[0].name == "Low"); // ascending by altitude, not by load order
    CHECK(f0[1].name == "FileInfo");
    CHECK(f0[2].name == "Luafv");
  }

  // ---- Load order (L1-L6) --------------------------------------------------------------------

  TEST_CASE("L1: boot, then system, then auto, demand and disabled do not load at boot") {
    Scenario sc;
    sc.drivers = {mini("Auto", "FSFilter Bottom", StartType::automatic, "41000"),
                  mini("Demand", "FSFilter Bottom", StartType::demand, "42000"),
                  mini("System", "FSFilter Top", StartType::system, "43000"),
                  mini("Disabled", "FSFilter Bottom", StartType::disabled, "44000"),
                  mini("Boot", "Filter", StartType::boot, "45000")};
    const LoadPlan p = resolve_load_order(sc);
    CHECK(names_in_order(sc, p) == std::vector<std::string>{"Boot", "System", "Auto"});
    CHECK(p.phase_of == std::vector<int>{0, 1, 2});
  }

  TEST_CASE("L2: fltmgr loads first and a FltMgr entry is the filter manager itself") {
    Scenario sc;
    Driver fm = legacy("FltMgr", "FSFilter Infrastructure");
    sc.drivers = {legacy("Late", "FSFilter Encryption", StartType::automatic), fm};
    const SimResult r = simulate(sc);
    REQUIRE(!r.load_order.empty());
    CHECK(r.load_order.front() == "FltMgr");
    CHECK(std::count(r.load_order.begin(), r.load_order.end(), "FltMgr") == 1);
    CHECK(is_filter_manager("fltmgr"));
    CHECK(!is_filter_manager("FltMgr2"));
  }

  TEST_CASE("L3: ServiceGroupOrder position decides inside a phase, unknown groups go last") {
    Scenario sc;
    sc.drivers = {mini("Unknown", "Vendor Group", StartType::boot, "41000"),
                  mini("None", std::nullopt, StartType::boot, "41500"),
                  mini("Top", "FSFilter Top", StartType::boot, "42000"),
                  mini("Bottom", "FSFilter Bottom", StartType::boot, "43000"),
                  mini("Encryption", "FSFilter Encryption", StartType::boot, "44000")};
    const LoadPlan p = resolve_load_order(sc);
    CHECK(names_in_order(sc, p) ==
          std::vector<std::string>{"Bottom", "Encryption", "Top", "Unknown", "None"});
    CHECK(p.unknown_group == std::vector<int>{0}); // no group at all is not an unknown group
  }

  TEST_CASE("L3: tag key: GroupOrderList position, unlisted tags, then no tag, raw tags") {
    Scenario sc;
    auto tagged = [](std::string name, std::string group, std::optional<std::uint32_t> tag) {
      Driver d = mini(std::move(name), std::move(group), StartType::boot, "41000");
      d.tag = tag;
      return d;
    };
    sc.group_order_list["FSFilter Bottom"] = {7, 3};
    sc.drivers = {
        tagged("NoTag", "FSFilter Bottom", std::nullopt), tagged("Unlisted", "FSFilter Bottom", 1),
        tagged("Second", "FSFilter Bottom", 3),           tagged("First", "FSFilter Bottom", 7),
        tagged("Raw9", "FSFilter Encryption", 9),         tagged("Raw2", "FSFilter Encryption", 2)};
    const LoadPlan p = resolve_load_order(sc);
    CHECK(names_in_order(sc, p) ==
          std::vector<std::string>{"First", "Second", "Unlisted", "NoTag", "Raw2", "Raw9"});
    CHECK(p.ties.empty());
  }

  TEST_CASE("L3 / Q4: equal keys keep manifest order and form a tie class") {
    Scenario sc;
    sc.drivers = {mini("B", "FSFilter Bottom", StartType::boot, "41000"),
                  mini("A", "FSFilter Bottom", StartType::boot, "42000")};
    const LoadPlan p = resolve_load_order(sc);
    CHECK(names_in_order(sc, p) == std::vector<std::string>{"B", "A"});
    REQUIRE(p.ties.size() == 1);
    CHECK(p.ties[0].drivers == std::vector<int>{0, 1});
    const LoadPlan swapped = resolve_load_order(sc, {{1, 0}});
    CHECK(names_in_order(sc, swapped) == std::vector<std::string>{"A", "B"});
  }

  TEST_CASE("L4: auto services start after the services they depend on") {
    Scenario sc;
    Driver a = mini("Dependent", "FSFilter Bottom", StartType::automatic, "41000");
    a.depends_on = {"Provider"};
    sc.drivers = {a, mini("Provider", "FSFilter Top", StartType::automatic, "42000")};
    const LoadPlan p = resolve_load_order(sc);
    CHECK(names_in_order(sc, p) == std::vector<std::string>{"Provider", "Dependent"});
  }

  TEST_CASE("L4: a demand dependency starts just before its earliest auto dependent") {
    // Three auto services depend on one demand service; it must start right before the first
    // of them (Early), not before a later one.
    Scenario sc;
    auto dependent = [](std::string name, std::string group, const char *altitude) {
      Driver d = mini(std::move(name), std::move(group), StartType::automatic, altitude);
      d.depends_on = {"Helper"};
      return d;
    };
    sc.drivers = {dependent("Late", "FSFilter Top", "41000"),
                  mini("Independent", "FSFilter Encryption", StartType::automatic, "41500"),
                  dependent("Early", "FSFilter Bottom", "42000"),
                  dependent("Middle", "FSFilter Compression", "43000"),
                  mini("Helper", "FSFilter Anti-Virus", StartType::demand, "44000")};
    const LoadPlan p = resolve_load_order(sc);
    CHECK(names_in_order(sc, p) ==
          std::vector<std::string>{"Helper", "Early", "Independent", "Middle", "Late"});
  }

  TEST_CASE("L4: a missing or disabled dependency keeps the dependent from starting") {
    Scenario sc;
    Driver a = mini("NeedsMissing", "FSFilter Bottom", StartType::automatic, "41000");
    a.depends_on = {"Nowhere"};
    Driver b = mini("NeedsDisabled", "FSFilter Bottom", StartType::automatic, "42000");
    b.depends_on = {"Off"};
    Driver c = mini("NeedsB", "FSFilter Bottom", StartType::automatic, "43000");
    c.depends_on = {"NeedsDisabled"};
    sc.drivers = {a, b, c, mini("Off", "FSFilter Bottom", StartType::disabled, "44000")};
    const LoadPlan p = resolve_load_order(sc);
    CHECK(p.order.empty());
    REQUIRE(p.missing_dependencies.size() == 1);
    CHECK(p.missing_dependencies[0].second == "Nowhere");
    CHECK(count_code(simulate(sc), rule::missing_dependency) == 1);
  }

  TEST_CASE("L5: demand drivers load only through events, dependencies first") {
    Scenario sc;
    Driver top = mini("Top", "FSFilter Bottom", StartType::demand, "41000");
    top.depends_on = {"Base"};
    sc.drivers = {top, mini("Base", "FSFilter Bottom", StartType::demand, "42000"),
                  mini("Off", "FSFilter Bottom", StartType::disabled, "43000")};
    const SimResult boot = simulate(sc);
    CHECK(boot.load_order == std::vector<std::string>{"FltMgr"});
    sc.events = {load("Top"), load("Off"), load("Top")};
    const SimResult r = simulate(sc);
    CHECK(r.drivers[0].loaded);
    CHECK(r.drivers[1].loaded);
    CHECK(!r.drivers[2].loaded);
    std::vector<std::string> loads;
    for (const TraceStep &t : r.trace)
      if (t.kind == TraceEvent::load)
        loads.push_back(t.driver);
    CHECK(loads == std::vector<std::string>{"Base", "Top"});
    CHECK(count_code(r, rule::event_ignored) == 2); // disabled, and already loaded
  }

  TEST_CASE("L6: what places a minifilter is the stack at the moment it registers") {
    // The same minifilter lands in Frame 0 when it registers before the legacy filter, and in a
    // frame above it when it registers after the legacy filter and a frame opened above it.
    Scenario before;
    before.drivers = {mini("Mini", "FSFilter Bottom", StartType::boot, "160000"),
                      legacy("Enc", "FSFilter Encryption")};
    const SimResult rb = simulate(before);
    CHECK(rb.frames.size() == 1);
    CHECK(frame_of(before, rb, "Mini") == 0);
    Scenario after;
    after.drivers = {legacy("Enc", "FSFilter Encryption"),
                     mini("Mini", "FSFilter Compression", StartType::boot, "160000")};
    const SimResult ra = simulate(after);
    CHECK(ra.frames.size() == 2);
    CHECK(frame_of(after, ra, "Mini") == 1);
  }

  // ---- Edge cases (E1-E8) --------------------------------------------------------------------

  TEST_CASE("E1: without legacy filters only Frame 0 exists, grown to the highest minifilter") {
    Scenario sc;
    sc.drivers = {mini("A", "FSFilter Bottom", StartType::boot, "40500"),
                  mini("B", "FSFilter Virtualization", StartType::boot, "135000"),
                  mini("C", "FSFilter Top", StartType::boot, "409800"),
                  mini("D", "FSFilter Anti-Virus", StartType::automatic, "328010")};
    const SimResult r = simulate(sc);
    REQUIRE(r.frames.size() == 1);
    CHECK(r.frames[0].high.text() == "409800");
  }

  TEST_CASE("E2: several legacy filters of one group share its altitude") {
    Scenario sc;
    sc.drivers = {legacy("AV1", "FSFilter Anti-Virus"), legacy("AV2", "FSFilter Anti-Virus")};
    const SimResult r = simulate(sc);
    REQUIRE(r.stack.size() == 3);
    CHECK(*r.stack[1].altitude == *r.stack[2].altitude);
    CHECK(r.stack[1].altitude->text() == "329998.99");
    CHECK(legacy_altitude_for_group("FSFilter Imaging")->text() == "174998.99");
  }

  TEST_CASE("E3: a legacy filter without altitude is reported and never bounds a frame") {
    Scenario sc;
    sc.drivers = {legacy("Infra", "FSFilter Infrastructure"),
                  mini("Mini", "FSFilter Bottom", StartType::boot, "48000")};
    const SimResult r = simulate(sc);
    CHECK(count_code(r, rule::legacy_without_altitude) == 1);
    CHECK(r.frames.size() == 1);
  }

  TEST_CASE("E4: a legacy filter in group Filter raises the top frame to 429998.99") {
    Scenario sc;
    sc.drivers = {legacy("Top", "Filter"),
                  mini("Mini", std::nullopt, StartType::automatic, "400000")};
    const SimResult r = simulate(sc);
    REQUIRE(r.frames.size() == 1);
    CHECK(r.frames[0].high.text() == "429998.99");
  }

  TEST_CASE("E5: a legacy filter loading after the top frame grew raises nothing") {
    Scenario sc;
    sc.drivers = {mini("Big", "FSFilter Top", StartType::boot, "409800"),
                  legacy("Enc", "FSFilter Encryption", StartType::demand),
                  mini("Later", std::nullopt, StartType::demand, "410000")};
    sc.events = {load("Enc"), load("Later")};
    const SimResult r = simulate(sc);
    REQUIRE(r.frames.size() == 2);
    CHECK(r.frames[0].high.text() == "409800");
    CHECK(frame_of(sc, r, "Later") == 1);
    CHECK(count_code(r, rule::altitude_inversion) >= 1);
  }

  TEST_CASE("E6: at exactly a frame boundary the lower frame wins, numerically") {
    Scenario sc;
    sc.drivers = {legacy("EncryptionLegacy", "FSFilter Encryption"),
                  mini("Dummy", "FSFilter Compression", StartType::boot, "160030"),
                  mini("Boundary", "FSFilter Compression", StartType::automatic, "149998.990")};
    const SimResult r = simulate(sc);
    CHECK(frame_of(sc, r, "Boundary") == 0);
  }

  TEST_CASE("E7: a demand minifilter registers into the frames as events left them") {
    // Boot grows Frame 0 to 135000 (R4.3). A legacy filter loaded by an event then lets R5 raise
    // Frame 0 to 149998.99 for the demand minifilter; loaded before the legacy filter, the same
    // minifilter only grows Frame 0 to its own altitude.
    Scenario sc;
    sc.drivers = {mini("Luafv", "FSFilter Virtualization", StartType::boot, "135000"),
                  legacy("Enc", "FSFilter Encryption", StartType::demand),
                  mini("Demand", "FSFilter Compression", StartType::demand, "140000")};
    sc.events = {load("Enc"), load("Demand")};
    const SimResult r = simulate(sc);
    REQUIRE(r.frames.size() == 1);
    CHECK(r.frames[0].high.text() == "149998.99");
    CHECK(frame_of(sc, r, "Demand") == 0);
    sc.events = {load("Demand"), load("Enc")};
    const SimResult other = simulate(sc);
    REQUIRE(other.frames.size() == 1);
    CHECK(other.frames[0].high.text() == "140000");
  }

  TEST_CASE("E8: a tie that decides the outcome is found by exploring the orders") {
    Scenario sc;
    sc.drivers = {mini("FileInfo", "FSFilter Bottom", StartType::boot, "45000"),
                  legacy("EncryptionLegacy", "FSFilter Encryption"),
                  legacy("AVLegacy", "FSFilter Anti-Virus"),
                  mini("AVMiniFilter", "FSFilter Anti-Virus", StartType::boot, "328000")};
    const TieExploration t = explore_tie_orders(sc);
    CHECK(t.order_dependent);
    CHECK(t.exhaustive);
    CHECK(t.total_orders == 2);
    // A GroupOrderList fixes it.
    sc.drivers[2].tag = 1;
    sc.drivers[3].tag = 2;
    sc.group_order_list["FSFilter Anti-Virus"] = {1, 2};
    CHECK(!explore_tie_orders(sc).order_dependent);
  }

  // ---- volume policies (docs/model.md#volume-policies) ----------------------------------------

  TEST_CASE("V1: with IoBlockLegacyFsFilters a legacy filter neither loads nor bounds a frame") {
    Scenario sc;
    sc.drivers = {mini("FileInfo", "FSFilter Bottom", StartType::boot, "45000"),
                  legacy("AVLegacy", "FSFilter Anti-Virus"),
                  mini("AVMini", "FSFilter Anti-Virus", StartType::boot, "328000")};
    const SimResult open = simulate(sc);
    CHECK(open.stack.size() == 2); // Frame 0 and AVLegacy
    sc.policy.block_legacy_filters = true;
    const SimResult r = simulate(sc);
    REQUIRE(r.stack.size() == 1);
    CHECK(r.stack[0].kind == StackEntry::Kind::frame);
    CHECK_FALSE(r.drivers[1].loaded);
    CHECK(count_code(r, rule::legacy_filter_blocked) == 1);
    CHECK(count_code(r, rule::altitude_inversion) == 0);
    // Nothing legacy registered since Frame 0, so it grows to AVMini's altitude (R4.3).
    REQUIRE(r.frames.size() == 1);
    CHECK(r.frames[0].high.text() == "328000");
    // A `both` driver keeps its minifilter registration.
    sc.drivers[1].kind = DriverKind::both;
    sc.drivers[1].instances.push_back({"AVLegacy Instance", alt("329000"), 0, {}, {}});
    sc.drivers[1].default_instance = "AVLegacy Instance";
    const SimResult both = simulate(sc);
    CHECK(both.drivers[1].loaded);
    CHECK(both.drivers[1].frame == 0);
    CHECK(count_code(both, rule::legacy_filter_blocked) == 1);
  }

  TEST_CASE("V2: a trusted Dev Drive takes antivirus filters and allow-listed filters only") {
    Scenario sc;
    sc.volumes = {"C:", "D:"};
    sc.volume_specs["D:"].volume_class = VolumeClass::dev_drive;
    sc.drivers = {mini("Av", "FSFilter Anti-Virus", StartType::boot, "325000"),
                  mini("Mon", "FSFilter Activity Monitor", StartType::boot, "385000"),
                  mini("Listed", "FSFilter Top", StartType::boot, "409000")};
    sc.policy.dev_drive_allowed_filters = {"Listed"};
    auto on = [](const SimResult &r, const std::string &volume) {
      std::vector<std::string> out;
      for (const VolumeStack &v : r.volumes)
        if (v.volume == volume)
          for (const auto &f : v.filters)
            out.push_back(f.name);
      return out;
    };
    SimResult r = simulate(sc);
    CHECK(on(r, "C:") == std::vector<std::string>{"Av", "Mon", "Listed"});
    CHECK(on(r, "D:") == std::vector<std::string>{"Av", "Listed"});
    CHECK(count_code(r, rule::dev_drive_not_allowed) == 1);
    // /disallowAv: the antivirus filter needs the allow list too; a volume's own list counts.
    sc.policy.dev_drive_allow_antivirus = false;
    sc.volume_specs["D:"].allowed_filters = {"Mon"};
    r = simulate(sc);
    CHECK(on(r, "D:") == std::vector<std::string>{"Mon", "Listed"});
    // An untrusted Dev Drive has no special policy.
    sc.volume_specs["D:"].trusted = false;
    r = simulate(sc);
    CHECK(on(r, "D:") == std::vector<std::string>{"Av", "Mon", "Listed"});
    CHECK(count_code(r, rule::dev_drive_not_allowed) == 0);
  }

  TEST_CASE("V3: legacy filters never attach to a DAX volume, minifilters only with the DAX flag") {
    Scenario sc;
    sc.volumes = {"C:", "P:"};
    sc.volume_specs["P:"].volume_class = VolumeClass::dax;
    sc.drivers = {mini("Dax", "FSFilter Bottom", StartType::boot, "45000"),
                  legacy("Enc", "FSFilter Encryption"),
                  mini("NoDax", "FSFilter Activity Monitor", StartType::boot, "385000")};
    sc.drivers[0].supports_dax = true;
    const SimResult r = simulate(sc);
    REQUIRE(r.volumes.size() == 2);
    const VolumeStack &c = r.volumes[0];
    const VolumeStack &p = r.volumes[1];
    CHECK(c.stack.size() == 3); // Frame 0, Enc, Frame 1
    CHECK(p.stack.size() == 2); // the frames only
    REQUIRE(p.filters.size() == 1);
    CHECK(p.filters[0].name == "Dax");
    CHECK(p.skipped.size() == 2);
    CHECK(c.filters.size() == 3);
  }

  TEST_CASE("V4: named pipe and mailslot volumes take minifilters that register for them") {
    Scenario sc;
    sc.volumes = {"\\Device\\NamedPipe", "\\Device\\Mailslot"};
    sc.volume_specs["\\Device\\NamedPipe"].volume_class = VolumeClass::named_pipe;
    sc.volume_specs["\\Device\\Mailslot"].volume_class = VolumeClass::mailslot;
    sc.drivers = {mini("Npfs", "FSFilter Bottom", StartType::boot, "45000"),
                  mini("Plain", "FSFilter Activity Monitor", StartType::boot, "385000")};
    sc.drivers[0].supports_named_pipes = true;
    const SimResult r = simulate(sc);
    for (const VolumeStack &v : r.volumes) {
      CAPTURE(v.volume);
      REQUIRE(v.filters.size() == 1);
      CHECK(v.filters[0].name == "Npfs");
    }
  }

  TEST_CASE("V5: a filter whose instance setup declines a class is missing from those volumes") {
    Scenario sc;
    sc.volumes = {"C:", "\\Device\\Mup"};
    sc.volume_specs["\\Device\\Mup"].volume_class = VolumeClass::network;
    sc.drivers = {mini("Local", "FSFilter Activity Monitor", StartType::boot, "385000"),
                  legacy("Enc", "FSFilter Encryption")};
    sc.drivers[0].skip_volume_classes = {VolumeClass::network};
    sc.drivers[1].skip_volume_classes = {VolumeClass::network};
    const SimResult r = simulate(sc);
    REQUIRE(r.volumes.size() == 2);
    CHECK(r.volumes[0].filters.size() == 2);
    CHECK(r.volumes[1].filters.empty());
    CHECK(r.volumes[1].skipped.size() == 2);
    // The global stack and frames do not change: fltmgr's frames are per stack, not per volume.
    CHECK(r.stack.size() == 3); // Frame 0, Enc, Frame 1 (Local)
    const int f = frame_of(sc, r, "Local");
    REQUIRE(f >= 0);
    CHECK(r.frames[static_cast<std::size_t>(f)].filters.size() == 1);
  }
}
