// The planner panel: before/after towers, applying the fix, and what happens without a planner.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "fltsim/sim/engine.hpp"
#include "fltsim/viewer/viewer_state.hpp"
#include "viewer_support.hpp"

using namespace fltsim;
using namespace fltsim::viewer;

namespace {

/// A stand-in planner that proposes the blog's own fix (example B's NullFilter), so the panel's
/// logic is tested independently of the planner's search. The fixed scenario is loaded here, on
/// the test's thread: the planner runs on a worker thread, and a doctest assertion there (the
/// REQUIRE in load_bundled) constructs doctest's thread_local streams in that thread, whose
/// destructors mingw-w64's emulated TLS can run after it has freed their storage (a heap fault
/// at thread exit under wine, docs/windows.md).
PlannerFunction blog_fix() {
  PlanProposal p;
  p.outcome = PlanProposal::Outcome::fix;
  p.summary = "add NullFilter";
  p.changes = {"add dummy minifilter NullFilter at 160030 (boot, FSFilter Compression)"};
  p.dummies = {"NullFilter"};
  p.fixed = test::load_bundled("blog_example_b_fixed.yaml");
  return [p](const sim::Scenario &, PlannerControl &) { return p; };
}

} // namespace

TEST_SUITE("viewer_model") {

  TEST_CASE("running the planner lays out the stacks before and after side by side") {
    ViewerState s(blog_fix());
    s.load(test::load_bundled("blog_example_a.yaml"), "a.yaml");
    s.apply(intent::RunPlanner{});
    s.wait_for_planner();
    const PlannerPanelState &p = s.planner();
    CHECK(p.status == PlannerPanelState::Status::found);
    CHECK(p.before.connectors.size() == 1);
    CHECK(p.before.frames.size() == 1);
    CHECK(p.after.connectors.empty());
    CHECK(p.after.frames.size() == 2);
    CHECK(p.before_errors >= 1);
    CHECK(p.after_errors == 0);
    CHECK_FALSE(p.applied);
    // Running the planner does not change the open scenario.
    CHECK_FALSE(s.modified());
    CHECK(s.stack_view().frames.size() == 1);
  }

  TEST_CASE("applying the fix replaces the scenario and the stack loses its inversion") {
    ViewerState s(blog_fix());
    s.load(test::load_bundled("blog_example_a.yaml"), "a.yaml");
    s.apply(intent::RunPlanner{});
    s.wait_for_planner();
    s.apply(intent::ApplyPlan{});
    CHECK(s.planner().applied);
    CHECK(s.modified());
    CHECK(s.scenario().find_driver("NullFilter") >= 0);
    CHECK(s.stack_view().connectors.empty());
    CHECK(s.stack_view().frames.size() == 2);
    CHECK_FALSE(s.final_result().has_errors());
    // The app saves the file; the state then points at the new file and is no longer modified.
    s.saved("fixed.yaml", true, "Saved fixed.yaml");
    CHECK(s.path() == "fixed.yaml");
    CHECK_FALSE(s.modified());
  }

  TEST_CASE("an edit after planning makes the proposal stale, it can no longer be applied") {
    ViewerState s(blog_fix());
    s.load(test::load_bundled("blog_example_a.yaml"), "a.yaml");
    s.apply(intent::RunPlanner{});
    s.wait_for_planner();
    s.apply(intent::EditDriver{s.scenario().find_driver("luafv"), DriverField::altitude, "136000"});
    CHECK(s.planner().status == PlannerPanelState::Status::stale);
    s.apply(intent::ApplyPlan{});
    CHECK_FALSE(s.planner().applied);
    CHECK(s.scenario().find_driver("NullFilter") < 0);
  }

  TEST_CASE("the planner runs on a worker thread, an edit while it runs makes its proposal stale") {
    std::atomic<bool> release{false};
    const PlannerFunction fix = blog_fix();
    ViewerState s([&](const sim::Scenario &sc, PlannerControl &c) {
      while (!release && !c.stop)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return fix(sc, c);
    });
    s.load(test::load_bundled("blog_example_a.yaml"), "a.yaml");
    s.apply(intent::RunPlanner{});
    CHECK(s.planner().status == PlannerPanelState::Status::running);
    CHECK_FALSE(s.tick(0.0)); // not finished: nothing new to show
    s.apply(intent::EditDriver{s.scenario().find_driver("luafv"), DriverField::altitude, "136000"});
    release = true;
    s.wait_for_planner();
    CHECK(s.planner().status == PlannerPanelState::Status::stale);
    s.apply(intent::ApplyPlan{});
    CHECK_FALSE(s.planner().applied);
  }

  TEST_CASE("opening another scenario cancels a running planner") {
    std::atomic<bool> stopped{false};
    ViewerState s([&](const sim::Scenario &, PlannerControl &c) {
      while (!c.stop)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      stopped = true;
      return PlanProposal{};
    });
    s.load(test::load_bundled("blog_example_a.yaml"), "a.yaml");
    s.apply(intent::RunPlanner{});
    s.load(test::load_bundled("blog_example_b_fixed.yaml"), "b.yaml");
    CHECK(stopped);
    CHECK(s.planner().status == PlannerPanelState::Status::idle);
  }

  TEST_CASE("a scenario without inversions has nothing to fix") {
    const PlannerFunction planner = builtin_planner();
    if (!planner) {
      MESSAGE("planner module not built; skipped");
      return;
    }
    ViewerState s(planner);
    s.load(test::load_bundled("blog_example_b_fixed.yaml"), "b.yaml");
    s.apply(intent::RunPlanner{});
    s.wait_for_planner();
    CHECK(s.planner().status == PlannerPanelState::Status::nothing_to_fix);
    s.apply(intent::ApplyPlan{});
    CHECK_FALSE(s.modified());
  }

  TEST_CASE("without a planner the panel says so") {
    ViewerState s{PlannerFunction{}};
    s.load(test::load_bundled("blog_example_a.yaml"), "a.yaml");
    s.apply(intent::RunPlanner{});
    s.wait_for_planner();
    CHECK(s.planner().status == PlannerPanelState::Status::unavailable);
    CHECK(s.planner().message_is_error);
    s.apply(intent::ApplyPlan{});
    CHECK_FALSE(s.modified());
  }

  TEST_CASE("the built-in planner, when built, fixes the blog's stack") {
    const PlannerFunction planner = builtin_planner();
    if (!planner) {
      MESSAGE("planner module not built; skipped");
      return;
    }
    ViewerState s(planner);
    s.load(test::load_bundled("blog_example_a.yaml"), "a.yaml");
    s.apply(intent::RunPlanner{});
    s.wait_for_planner();
    REQUIRE(s.planner().status == PlannerPanelState::Status::found);
    REQUIRE(s.planner().proposal);
    CHECK_FALSE(s.planner().proposal->changes.empty());
    CHECK(s.planner().after_errors == 0);
    CHECK(s.planner().after.connectors.empty());
    s.apply(intent::ApplyPlan{});
    CHECK_FALSE(s.final_result().has_errors());
    for (const std::string &d : s.planner().proposal->dummies)
      CHECK(s.scenario().find_driver(d) >= 0);
  }

} // TEST_SUITE
