// The drivers table: rows, in-place edits that re-simulate, inline errors for invalid input.
#include <doctest/doctest.h>

#include <algorithm>

#include "fltsim/sim/findings.hpp"
#include "fltsim/viewer/viewer_state.hpp"
#include "viewer_support.hpp"

using namespace fltsim;
using namespace fltsim::viewer;

namespace {

ViewerState open(const std::string &relative) {
  ViewerState s(PlannerFunction{});
  s.load(test::load_bundled(relative), relative);
  return s;
}

const DriverRow &row(const ViewerState &s, const std::string &name) {
  const int d = s.scenario().find_driver(name);
  REQUIRE(d >= 0);
  return s.driver_rows()[static_cast<std::size_t>(d)];
}

bool has_finding(const ViewerState &s, std::string_view code) {
  const auto &f = s.final_result().findings;
  return std::any_of(f.begin(), f.end(), [&](const sim::Finding &x) { return x.code == code; });
}

} // namespace

TEST_SUITE("viewer_model") {

  TEST_CASE("rows show kind, group, start, tag, altitude and frame") {
    const ViewerState s = open("blog_example_a.yaml");
    REQUIRE(s.driver_rows().size() == 5);
    const DriverRow &av = row(s, "AVMiniFilter");
    CHECK(av.kind == "minifilter");
    CHECK(av.group == "FSFilter Anti-Virus");
    CHECK(av.start == "boot");
    CHECK(av.tag.empty());
    CHECK(av.altitude == "328000");
    CHECK(av.frame == "0");
    CHECK(av.inverted);
    const DriverRow &enc = row(s, "EncryptionLegacy");
    CHECK(enc.kind == "legacy");
    CHECK(enc.altitude == "149998.99"); // from its group (docs/model.md#legacy-altitudes)
    CHECK_FALSE(enc.altitude_editable);
    CHECK(enc.frame == "<Legacy>");
    CHECK_FALSE(row(s, "FileInfo").inverted);
  }

  TEST_CASE("the frame column follows the timeline") {
    ViewerState s = open("blog_example_a.yaml");
    s.apply(intent::Seek{2});
    CHECK(row(s, "AVMiniFilter").frame.empty()); // not registered yet
    CHECK_FALSE(row(s, "AVMiniFilter").loaded);
  }

  TEST_CASE(
      "editing an altitude re-simulates: AVMiniFilter below 149998.99 is no longer inverted") {
    ViewerState s = open("blog_example_a.yaml");
    REQUIRE(has_finding(s, sim::rule::altitude_inversion));
    const int av = s.scenario().find_driver("AVMiniFilter");
    s.apply(intent::EditDriver{av, DriverField::altitude, "140000"});
    CHECK(s.edit_error(av, DriverField::altitude) == nullptr);
    CHECK(s.modified());
    CHECK(row(s, "AVMiniFilter").altitude == "140000");
    CHECK_FALSE(has_finding(s, sim::rule::altitude_inversion));
    CHECK(s.stack_view().connectors.empty());
  }

  TEST_CASE("an invalid altitude shows an inline error and leaves the scenario alone") {
    ViewerState s = open("blog_example_a.yaml");
    const int av = s.scenario().find_driver("AVMiniFilter");
    s.apply(intent::EditDriver{av, DriverField::altitude, "32x000"});
    const EditError *e = s.edit_error(av, DriverField::altitude);
    REQUIRE(e);
    CHECK(e->text == "32x000");
    CHECK_FALSE(e->message.empty());
    CHECK_FALSE(s.modified());
    CHECK(row(s, "AVMiniFilter").altitude == "328000");
    CHECK(s.stack_view().connectors.size() == 1);
    // Fixing the text clears the error.
    s.apply(intent::EditDriver{av, DriverField::altitude, "320000"});
    CHECK(s.edit_error(av, DriverField::altitude) == nullptr);
    CHECK(s.edit_error_count() == 0);
  }

  TEST_CASE("a legacy filter's altitude cannot be typed, its group decides it") {
    ViewerState s = open("blog_example_a.yaml");
    const int av_legacy = s.scenario().find_driver("AVLegacy");
    s.apply(intent::EditDriver{av_legacy, DriverField::altitude, "389998.99"});
    REQUIRE(s.edit_error(av_legacy, DriverField::altitude));
    CHECK(s.edit_error(av_legacy, DriverField::altitude)->message.find("group") !=
          std::string::npos);
    // Q1 (docs/model.md#q1): in FSFilter Activity Monitor the same driver gets 389998.99. The group
    // also moves it later in the load order (L3), after AVMiniFilter, so fltmgr now opens Frame 1
    // above EncryptionLegacy for AVMiniFilter and the inversion disappears.
    s.apply(intent::EditDriver{av_legacy, DriverField::group, "FSFilter Activity Monitor"});
    CHECK(row(s, "AVLegacy").altitude == "389998.99");
    CHECK(row(s, "AVMiniFilter").frame == "1");
    CHECK(s.stack_view().frames.size() == 2);
    CHECK(s.stack_view().connectors.empty());
    CHECK(s.stack_view().legacy.back().name == "AVLegacy");
  }

  TEST_CASE("start, tag and kind edits are validated") {
    ViewerState s = open("blog_example_a.yaml");
    const int luafv = s.scenario().find_driver("luafv");
    s.apply(intent::EditDriver{luafv, DriverField::start, "sometimes"});
    CHECK(s.edit_error(luafv, DriverField::start));
    s.apply(intent::EditDriver{luafv, DriverField::start, "demand"});
    CHECK(s.edit_error(luafv, DriverField::start) == nullptr);
    // A demand-start driver with no load event never loads (L5).
    CHECK_FALSE(row(s, "luafv").loaded);
    CHECK(s.stack_view().find_filter(luafv) == nullptr);

    s.apply(intent::EditDriver{luafv, DriverField::tag, "abc"});
    CHECK(s.edit_error(luafv, DriverField::tag));
    s.apply(intent::EditDriver{luafv, DriverField::tag, "4294967296"});
    CHECK(s.edit_error(luafv, DriverField::tag));
    s.apply(intent::EditDriver{luafv, DriverField::tag, "7"});
    CHECK(s.edit_error(luafv, DriverField::tag) == nullptr);
    CHECK(row(s, "luafv").tag == "7");

    s.apply(intent::EditDriver{luafv, DriverField::kind, "filter"});
    CHECK(s.edit_error(luafv, DriverField::kind));
  }

  TEST_CASE("switching a minifilter to legacy and back restores its instances") {
    ViewerState s = open("blog_example_a.yaml");
    const int av = s.scenario().find_driver("AVMiniFilter");
    s.apply(intent::EditDriver{av, DriverField::kind, "legacy"});
    CHECK(row(s, "AVMiniFilter").kind == "legacy");
    CHECK(s.stack_view().find_legacy(av) != nullptr);
    CHECK(s.scenario().drivers[static_cast<std::size_t>(av)].instances.empty());
    s.apply(intent::EditDriver{av, DriverField::kind, "minifilter"});
    CHECK(row(s, "AVMiniFilter").altitude == "328000");
    CHECK(s.stack_view().find_filter(av) != nullptr);
  }

  TEST_CASE("a legacy filter switched to minifilter starts at its group's documented low end") {
    ViewerState s = open("blog_example_a.yaml");
    const int enc = s.scenario().find_driver("EncryptionLegacy");
    s.apply(intent::EditDriver{enc, DriverField::kind, "minifilter"});
    CHECK(s.edit_error(enc, DriverField::kind) == nullptr);
    CHECK(row(s, "EncryptionLegacy").altitude == "140000");
    CHECK(s.stack_view().find_filter(enc) != nullptr);
  }

  TEST_CASE("revert goes back to the file as loaded") {
    ViewerState s = open("blog_example_a.yaml");
    const int av = s.scenario().find_driver("AVMiniFilter");
    s.apply(intent::EditDriver{av, DriverField::altitude, "140000"});
    s.apply(intent::RevertEdits{});
    CHECK_FALSE(s.modified());
    CHECK(row(s, "AVMiniFilter").altitude == "328000");
  }

  TEST_CASE("selecting a driver marks it, selecting it again clears the selection") {
    ViewerState s = open("blog_example_a.yaml");
    const int luafv = s.scenario().find_driver("luafv");
    s.apply(intent::SelectDriver{luafv});
    CHECK(s.selected_driver() == luafv);
    CHECK(s.stack_view().find_filter(luafv)->selected);
    s.apply(intent::SelectDriver{luafv});
    CHECK(s.selected_driver() == -1);
  }

  TEST_CASE("reloading keeps the selection by name, a failed reload keeps the last good stack") {
    ViewerState s = open("blog_example_a.yaml");
    s.apply(intent::SelectDriver{s.scenario().find_driver("luafv")});
    sim::Scenario changed = test::load_bundled("blog_example_b_fixed.yaml");
    s.reload(changed);
    CHECK(s.selected_driver() == s.scenario().find_driver("luafv"));
    CHECK(s.stack_view().frames.size() == 2);
    s.load_failed("blog_example_a.yaml", {sim::make_diagnostic({}, "yaml-syntax", "bad")});
    CHECK(s.load_errors().size() == 1);
    CHECK(s.stack_view().frames.size() == 2);
    s.reload(changed);
    CHECK(s.load_errors().empty());
  }

  TEST_CASE("a failed open of another file keeps the last stack but makes that file the document") {
    ViewerState s = open("blog_example_a.yaml");
    s.load_failed("broken.yaml", {sim::make_diagnostic({}, "yaml-syntax", "bad")});
    CHECK(s.path() == "broken.yaml");
    CHECK(s.scenario_path() == "blog_example_a.yaml");
    CHECK(s.stack_view().frames.size() == 1);
    CHECK(s.status().find("still showing") != std::string::npos);
    s.load(test::load_bundled("blog_example_b_fixed.yaml"), "broken.yaml"); // fixed and loaded
    CHECK(s.scenario_path() == "broken.yaml");
    CHECK(s.load_errors().empty());
  }

} // TEST_SUITE
