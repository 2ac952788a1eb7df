// The layout JSON written next to screenshots matches the model, shifted to screen pixels.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "fltsim/sim/engine.hpp"
#include "fltsim/viewer/layout_json.hpp"
#include "viewer_support.hpp"

using namespace fltsim;
using namespace fltsim::viewer;

TEST_SUITE("viewer_model") {

  TEST_CASE("layout JSON carries every box in screen pixels with its fill colour and probe") {
    const sim::Scenario sc = test::load_bundled("blog_example_a.yaml");
    const StackLayoutOptions opt;
    const StackView v = build_stack_view(sc, sim::simulate(sc), {}, -1, opt);
    LayoutJsonInput in;
    in.view = &v;
    in.options = opt;
    in.origin = {100, 50};
    in.clip = {100, 50, 600, 700};
    in.image_width = 1280;
    in.image_height = 800;
    in.scenario = sc.title;
    const auto j = nlohmann::json::parse(layout_json(in));
    CHECK(j["image"]["width"] == 1280);
    REQUIRE(j["frames"].size() == 1);
    const auto &f = j["frames"][0];
    CHECK(f["label"] == v.frames[0].label);
    CHECK(f["rect"][0].get<double>() == doctest::Approx(v.frames[0].rect.x + 100));
    CHECK(f["rect"][1].get<double>() == doctest::Approx(v.frames[0].rect.y + 50));
    const Color frame = color_of(Role::frame);
    CHECK(f["fill"][2] == frame.b);
    REQUIRE(j["legacy"].size() == 2);
    CHECK(j["legacy"][1]["name"] == "AVLegacy");
    CHECK(j["stack"] == nlohmann::json::array({"Frame 0", "EncryptionLegacy", "AVLegacy"}));
    REQUIRE(j["connectors"].size() == 1);
    CHECK(j["connectors"][0]["points"].size() == 4);
    // Probes lie inside their boxes, left of any row or label.
    for (const FrameBox &fb : v.frames) {
      const Rect p = frame_probe(fb, opt);
      CHECK(fb.rect.encloses(p));
      CHECK(p.w > 0);
      CHECK(p.h > 0);
      for (const FilterBox &b : fb.filters)
        CHECK_FALSE(p.overlaps(b.rect));
      CHECK_FALSE(p.overlaps(fb.header));
    }
    for (const LegacyBlock &l : v.legacy)
      CHECK(l.rect.encloses(block_probe(l.rect)));
  }

} // TEST_SUITE
