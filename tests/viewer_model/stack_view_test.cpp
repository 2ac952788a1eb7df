// Layout facts of the stack picture: the tower follows the device stack, boxes never overlap,
// minifilters sit in altitude order, inversions become connectors, the axis is monotonic.
#include <doctest/doctest.h>

#include <set>

#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/findings.hpp"
#include "fltsim/viewer/stack_view.hpp"
#include "viewer_support.hpp"

using namespace fltsim;
using namespace fltsim::viewer;

namespace {

StackView view_of(const sim::Scenario &sc) {
  return build_stack_view(sc, sim::simulate(sc));
}

std::vector<std::string> stack_names(const StackView &v) {
  std::vector<std::string> out;
  for (const StackItem &s : v.stack)
    out.push_back(s.kind == StackItem::Kind::frame ? "Frame " + std::to_string(v.frames[s.index].id)
                                                   : v.legacy[s.index].name);
  return out;
}

std::size_t inversion_count(const sim::SimResult &r) {
  std::size_t n = 0;
  for (const auto &f : r.findings)
    n += f.code == sim::rule::altitude_inversion || f.code == sim::rule::legacy_order_inversion;
  return n;
}

} // namespace

TEST_SUITE("viewer_model") {

  TEST_CASE("blog example A: one frame box with legacy blocks stacked above it, bottom to top") {
    const StackView v = view_of(test::load_bundled("blog_example_a.yaml"));
    REQUIRE(v.frames.size() == 1);
    CHECK(v.frames[0].label == "Frame 0 [0 \xE2\x80\x93 329998.99]");
    CHECK(stack_names(v) == std::vector<std::string>{"Frame 0", "EncryptionLegacy", "AVLegacy"});
    // y grows downwards: the file system is lowest, each stack entry sits above the previous one.
    const Rect f0 = v.frames[0].rect;
    const Rect enc = v.legacy[0].rect;
    const Rect av = v.legacy[1].rect;
    CHECK(v.file_system.y >= f0.bottom());
    CHECK(f0.y >= enc.bottom());
    CHECK(enc.y >= av.bottom());
    CHECK(v.legacy[0].altitude == "149998.99");
    CHECK(v.legacy[1].altitude == "329998.99");
  }

  TEST_CASE("minifilters in a frame box are ordered by altitude, highest at the top") {
    const StackView v = view_of(test::load_bundled("blog_example_a.yaml"));
    const auto &rows = v.frames[0].filters;
    REQUIRE(rows.size() == 3);
    std::vector<std::string> bottom_to_top;
    for (const auto &r : rows)
      bottom_to_top.push_back(r.name);
    CHECK(bottom_to_top == std::vector<std::string>{"FileInfo", "luafv", "AVMiniFilter"});
    CHECK(rows[0].rect.y > rows[1].rect.y);
    CHECK(rows[1].rect.y > rows[2].rect.y);
    for (const auto &r : rows) {
      CHECK(v.frames[0].rect.encloses(r.rect));
      CHECK_FALSE(v.frames[0].header.overlaps(r.rect));
    }
  }

  TEST_CASE("every bundled scenario: boxes are ordered like the stack and never overlap") {
    for (const auto &[name, sc] : test::all_bundled()) {
      const std::string &scenario = name; // clang 14 captures no structured binding
      CAPTURE(scenario);
      const sim::SimResult r = sim::simulate(sc);
      const StackView v = build_stack_view(sc, r);
      REQUIRE(v.stack.size() == r.stack.size());
      std::vector<Rect> boxes{v.file_system};
      for (const StackItem &s : v.stack)
        boxes.push_back(v.rect_of(s));
      for (std::size_t i = 1; i < boxes.size(); ++i)
        CHECK(boxes[i].bottom() <= boxes[i - 1].y); // strictly above the entry below
      for (std::size_t i = 0; i < boxes.size(); ++i) {
        CHECK(boxes[i].x >= 0);
        CHECK(boxes[i].y >= 0);
        CHECK(boxes[i].right() <= v.size.x);
        CHECK(boxes[i].bottom() <= v.size.y);
        for (std::size_t k = i + 1; k < boxes.size(); ++k)
          CHECK_FALSE(boxes[i].overlaps(boxes[k]));
      }
      for (const FrameBox &f : v.frames) {
        for (std::size_t k = 0; k < f.filters.size(); ++k) {
          CHECK(f.rect.encloses(f.filters[k].rect));
          if (k > 0) {
            CHECK(f.filters[k].rect.bottom() <= f.filters[k - 1].rect.y);
            const auto lo = sim::Altitude::parse(f.filters[k - 1].altitude);
            const auto hi = sim::Altitude::parse(f.filters[k].altitude);
            REQUIRE(lo);
            REQUIRE(hi);
            CHECK(*lo <= *hi);
          }
        }
      }
    }
  }

  TEST_CASE("an altitude inversion becomes a red connector between the two filters") {
    const sim::Scenario sc = test::load_bundled("blog_example_a.yaml");
    const sim::SimResult r = sim::simulate(sc);
    const StackView v = build_stack_view(sc, r);
    REQUIRE(v.connectors.size() == 1);
    const Connector &c = v.connectors[0];
    CHECK(c.code == "altitude-inversion");
    const FilterBox *av = v.find_filter(sc.find_driver("AVMiniFilter"));
    const LegacyBlock *enc = v.find_legacy(sc.find_driver("EncryptionLegacy"));
    REQUIRE(av);
    REQUIRE(enc);
    CHECK(c.lower == av->driver);
    CHECK(c.upper == enc->driver);
    // The polyline leaves the filter's row at its right edge and ends at the legacy block's.
    REQUIRE(c.points.size() == 4);
    CHECK(c.points.front() == Vec2{av->rect.right(), av->rect.center().y});
    CHECK(c.points.back() == Vec2{enc->rect.right(), enc->rect.center().y});
    CHECK(c.points[1].x > v.tower.right());
    // The tooltip says why it happened: the engine's explanation of the finding.
    CHECK(c.tooltip.find("below EncryptionLegacy") != std::string::npos);
    CHECK(c.tooltip.find("no frame was opened above it") != std::string::npos);
    // Both ends are marked.
    CHECK(av->role == Role::minifilter_inverted);
    CHECK(enc->inverted);
    const FilterBox *luafv = v.find_filter(sc.find_driver("luafv"));
    REQUIRE(luafv);
    CHECK(luafv->role == Role::minifilter);
  }

  TEST_CASE("hovering a connector shows the finding, hovering a box shows the driver") {
    const sim::Scenario sc = test::load_bundled("blog_example_a.yaml");
    const StackView v = view_of(sc);
    REQUIRE(v.connectors.size() == 1);
    const Vec2 mid{v.connectors[0].points[1].x,
                   (v.connectors[0].points[1].y + v.connectors[0].points[2].y) / 2};
    const Hit h = hit_test(v, mid);
    CHECK(h.kind == Hit::Kind::connector);
    CHECK(tooltip_of(v, h) == v.connectors[0].tooltip);

    const LegacyBlock *enc = v.find_legacy(sc.find_driver("EncryptionLegacy"));
    const Hit hl = hit_test(v, enc->rect.center());
    CHECK(hl.kind == Hit::Kind::legacy);
    CHECK(hl.driver == enc->driver);
    CHECK(tooltip_of(v, hl).find("149998.99") != std::string::npos);

    const Hit nothing = hit_test(v, {v.size.x - 1, 1});
    CHECK(nothing.kind == Hit::Kind::none);
    CHECK(tooltip_of(v, nothing).empty());
  }

  TEST_CASE("the blog's fix: no connector, AVMiniFilter in Frame 1 above EncryptionLegacy") {
    const sim::Scenario sc = test::load_bundled("blog_example_b_fixed.yaml");
    const StackView v = view_of(sc);
    CHECK(v.connectors.empty());
    CHECK(stack_names(v) ==
          std::vector<std::string>{"Frame 0", "EncryptionLegacy", "Frame 1", "AVLegacy"});
    const FilterBox *av = v.find_filter(sc.find_driver("AVMiniFilter"));
    const LegacyBlock *enc = v.find_legacy(sc.find_driver("EncryptionLegacy"));
    REQUIRE(av);
    CHECK(av->rect.bottom() <= enc->rect.y);
    CHECK(av->role == Role::minifilter);
  }

  TEST_CASE("every bundled scenario: one connector per inversion finding") {
    for (const auto &[name, sc] : test::all_bundled()) {
      const std::string &scenario = name; // clang 14 captures no structured binding
      CAPTURE(scenario);
      const sim::SimResult r = sim::simulate(sc);
      const StackView v = build_stack_view(sc, r);
      CHECK(v.connectors.size() + v.connectors_omitted == inversion_count(r));
      for (const Connector &c : v.connectors) {
        CHECK(c.lower != c.upper);
        CHECK_FALSE(c.tooltip.empty());
        CHECK(c.points.front().y >= c.points.back().y); // from the lower box up to the upper one
      }
    }
  }

  TEST_CASE("connectors whose spans overlap get different lanes") {
    // Two minifilters stuck below two legacy filters give four overlapping inversions.
    sim::Scenario sc = test::load_bundled("blog_example_a.yaml");
    sim::Driver extra = sc.drivers[static_cast<std::size_t>(sc.find_driver("AVMiniFilter"))];
    extra.name = "AVMiniFilter2";
    extra.instances[0].name = "AV2";
    extra.instances[0].altitude = sim::Altitude::from_literal("329000");
    extra.default_instance = "AV2";
    sc.drivers.push_back(extra);
    const StackView v = view_of(sc);
    REQUIRE(v.connectors.size() >= 2);
    for (std::size_t i = 0; i < v.connectors.size(); ++i)
      for (std::size_t k = i + 1; k < v.connectors.size(); ++k) {
        const auto &a = v.connectors[i].points;
        const auto &b = v.connectors[k].points;
        const bool overlap = a[2].y <= b[1].y && b[2].y <= a[1].y;
        if (overlap)
          CHECK(v.connectors[i].lane != v.connectors[k].lane);
      }
  }

  TEST_CASE("the altitude axis is monotonic and shows where stack order and altitude disagree") {
    const sim::Scenario sc = test::load_bundled("blog_example_a.yaml");
    const StackView v = view_of(sc);
    REQUIRE(v.axis.enabled);
    // Higher altitude, higher on the axis (smaller y).
    for (std::size_t i = 1; i < v.axis.ticks.size(); ++i)
      CHECK(v.axis.ticks[i].y < v.axis.ticks[i - 1].y);
    for (const AxisMarker &a : v.axis.markers)
      for (const AxisMarker &b : v.axis.markers) {
        const std::string alt_a =
            a.legacy ? v.find_legacy(a.driver)->altitude : v.find_filter(a.driver)->altitude;
        const std::string alt_b =
            b.legacy ? v.find_legacy(b.driver)->altitude : v.find_filter(b.driver)->altitude;
        if (*sim::Altitude::parse(alt_a) > *sim::Altitude::parse(alt_b))
          CHECK(a.y < b.y);
      }
    // AVMiniFilter's marker is above EncryptionLegacy's on the axis although its box is below:
    // their leader lines cross, which is the inversion.
    const int av = sc.find_driver("AVMiniFilter");
    const int enc = sc.find_driver("EncryptionLegacy");
    const AxisMarker *m_av = nullptr;
    const AxisMarker *m_enc = nullptr;
    for (const AxisMarker &m : v.axis.markers) {
      if (m.driver == av)
        m_av = &m;
      if (m.driver == enc)
        m_enc = &m;
    }
    REQUIRE(m_av);
    REQUIRE(m_enc);
    CHECK(m_av->y < m_enc->y);
    CHECK(m_av->target.y > m_enc->target.y);
    CHECK(m_av->inverted);
    // The frame's range bar spans 0 .. 329998.99.
    REQUIRE(v.axis.frames.size() == 1);
    CHECK(v.axis.frames[0].y_bottom == doctest::Approx(v.axis.y_of(0)));
    CHECK(v.axis.frames[0].y_top == doctest::Approx(v.axis.y_of(329998.99)));
  }

  TEST_CASE("frame range bars on the axis are contiguous, as frames are (R6)") {
    const StackView v = view_of(test::load_bundled("blog_example_b_fixed.yaml"));
    REQUIRE(v.axis.frames.size() == 2);
    CHECK(v.axis.frames[1].y_bottom == doctest::Approx(v.axis.frames[0].y_top));
    CHECK(v.axis.frames[0].role != v.axis.frames[1].role);
  }

  TEST_CASE("a legacy filter whose group has no altitude is drawn as such (E3)") {
    const sim::Scenario sc = test::load_bundled("edge/e3_legacy_without_altitude.yaml");
    const StackView v = view_of(sc);
    bool found = false;
    for (const LegacyBlock &l : v.legacy)
      if (l.altitude.empty()) {
        found = true;
        CHECK(l.role == Role::legacy_no_altitude);
        CHECK(l.tooltip.find("no altitude") != std::string::npos);
      }
    CHECK(found);
  }

  TEST_CASE("the selected driver is marked") {
    const sim::Scenario sc = test::load_bundled("blog_example_a.yaml");
    const int luafv = sc.find_driver("luafv");
    const StackView v = build_stack_view(sc, sim::simulate(sc), {}, luafv);
    CHECK(v.find_filter(luafv)->selected);
    CHECK_FALSE(v.find_filter(sc.find_driver("FileInfo"))->selected);
  }

  TEST_CASE("a large stack lays out every filter and drops leader lines") {
    sim::Scenario sc;
    sc.title = "many";
    for (int i = 0; i < 500; ++i) {
      sim::Driver d;
      d.name = "m" + std::to_string(i);
      d.start = sim::StartType::boot;
      d.group = "FSFilter Activity Monitor";
      const auto alt = sim::Altitude::parse(std::to_string(360000 + i));
      d.instances.push_back({d.name + " Instance", *alt, 0, {}, {}});
      d.default_instance = d.name + " Instance";
      sc.drivers.push_back(d);
    }
    const StackView v = view_of(sc);
    CHECK(v.filter_count == 500);
    for (const AxisMarker &m : v.axis.markers)
      CHECK_FALSE(m.leader);
  }

} // TEST_SUITE
