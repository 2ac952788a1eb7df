// The replay scrubber: stepping changes the stack exactly as the trace says; playback.
#include <doctest/doctest.h>

#include <algorithm>

#include "fltsim/sim/engine.hpp"
#include "fltsim/viewer/timeline.hpp"
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

int step_of(const ViewerState &s, sim::TraceEvent event, const std::string &driver) {
  for (const sim::TraceStep &t : s.timeline().steps())
    if (t.kind == event && t.driver == driver)
      return t.step;
  FAIL("no step " << sim::to_string(event) << " " << driver);
  return -1;
}

std::size_t frames_holding(const StackView &v, int driver) {
  std::size_t n = 0;
  for (const FrameBox &f : v.frames)
    for (const FilterBox &b : f.filters)
      n += b.driver == driver;
  return n;
}

} // namespace

TEST_SUITE("viewer_model") {

  TEST_CASE("a freshly opened scenario shows its final stack") {
    const ViewerState s = open("blog_example_a.yaml");
    CHECK(s.timeline().at_end());
    CHECK(s.timeline().step_count() == static_cast<int>(s.final_result().trace.size()));
    CHECK(s.stack_view().frames.size() == 1);
    CHECK(s.stack_view().focus.frame == -1); // the end is a result, nothing is highlighted
  }

  TEST_CASE("blog A: stepping onto R5 grows Frame 0 from 49999 to 329998.99 and highlights it") {
    ViewerState s = open("blog_example_a.yaml");
    const int raise = step_of(s, sim::TraceEvent::frame_raise, "AVMiniFilter");
    s.apply(intent::Seek{raise - 1});
    REQUIRE(s.stack_view().frames.size() == 1);
    CHECK(s.stack_view().frames[0].label == "Frame 0 [0 \xE2\x80\x93 49999]");
    CHECK_FALSE(s.stack_view().frames[0].highlighted);
    s.apply(intent::StepForward{});
    CHECK(s.timeline().position() == raise);
    CHECK(s.timeline().current()->kind == sim::TraceEvent::frame_raise);
    const FrameBox &f0 = s.stack_view().frames[0];
    CHECK(f0.label == "Frame 0 [0 \xE2\x80\x93 329998.99]");
    CHECK(f0.highlighted);
    CHECK(f0.role == Role::frame_highlight);
    CHECK(f0.badge.find("raised") != std::string::npos);
    // AVMiniFilter has not registered yet at the raise; it does at the next step.
    const int av = s.scenario().find_driver("AVMiniFilter");
    CHECK(frames_holding(s.stack_view(), av) == 0);
    s.apply(intent::StepForward{});
    CHECK(frames_holding(s.stack_view(), av) == 1);
    CHECK(s.stack_view().find_filter(av)->is_new);
    CHECK(s.stack_view().find_filter(av)->role == Role::minifilter_new);
  }

  TEST_CASE("blog B: stepping onto NullFilter opens Frame 1 above EncryptionLegacy") {
    ViewerState s = open("blog_example_b_fixed.yaml");
    const int create = step_of(s, sim::TraceEvent::frame_create, "NullFilter");
    s.apply(intent::Seek{create - 1});
    CHECK(s.stack_view().frames.size() == 1);
    s.apply(intent::StepForward{});
    const StackView &v = s.stack_view();
    REQUIRE(v.frames.size() == 2);
    CHECK(v.frames[1].highlighted);
    CHECK(v.frames[1].label == "Frame 1 [149998.99 \xE2\x80\x93 160030]");
    CHECK(v.frames[1].badge == "created");
    CHECK_FALSE(v.frames[0].highlighted);
    const LegacyBlock *enc = v.find_legacy(s.scenario().find_driver("EncryptionLegacy"));
    REQUIRE(enc);
    CHECK(v.frames[1].rect.bottom() <= enc->rect.y);
  }

  TEST_CASE("position 0 is the empty stack before fltmgr, step 1 creates Frame 0") {
    ViewerState s = open("blog_example_a.yaml");
    s.apply(intent::Seek{0});
    CHECK(s.stack_view().frames.empty());
    CHECK(s.stack_view().stack.empty());
    s.apply(intent::StepForward{});
    REQUIRE(s.stack_view().frames.size() == 1);
    CHECK(s.stack_view().frames[0].badge == "created");
  }

  TEST_CASE("every bundled scenario: each step changes the stack the way its trace event says") {
    for (const auto &[name, sc] : test::all_bundled()) {
      const std::string &scenario = name; // clang 14 captures no structured binding
      CAPTURE(scenario);
      ViewerState s(PlannerFunction{});
      s.load(sc, name);
      s.apply(intent::Seek{0});
      std::size_t frames = s.stack_view().frames.size();
      std::size_t legacy = s.stack_view().legacy.size();
      const int n = s.timeline().step_count();
      for (int k = 1; k <= n; ++k) {
        s.apply(intent::StepForward{});
        REQUIRE(s.timeline().position() == k);
        const sim::TraceStep &t = *s.timeline().current();
        CAPTURE(t.text);
        const StackView &v = s.stack_view();
        const bool creates =
            t.kind == sim::TraceEvent::fltmgr_start || t.kind == sim::TraceEvent::frame_create;
        CHECK(v.frames.size() == frames + (creates ? 1 : 0));
        CHECK(v.legacy.size() == legacy + (t.kind == sim::TraceEvent::legacy_attach ? 1 : 0));
        if (t.kind == sim::TraceEvent::register_filter) {
          const int d = s.scenario().find_driver(t.driver);
          const FrameBox *f = v.find_frame(t.frame);
          REQUIRE(f);
          CHECK(std::any_of(f->filters.begin(), f->filters.end(),
                            [&](const FilterBox &b) { return b.driver == d; }));
        }
        if (t.frame >= 0 && (creates || t.kind == sim::TraceEvent::frame_grow ||
                             t.kind == sim::TraceEvent::frame_raise))
          CHECK(v.find_frame(t.frame)->highlighted);
        if (t.kind == sim::TraceEvent::legacy_attach)
          CHECK(v.find_legacy(s.scenario().find_driver(t.driver))->highlighted);
        frames = v.frames.size();
        legacy = v.legacy.size();
      }
      // Stepping to the end gives the final stack.
      CHECK(frames == s.final_result().frames.size());
    }
  }

  TEST_CASE("timeline marks: phases, frame changes and registrations") {
    const ViewerState s = open("blog_example_a.yaml");
    std::vector<std::string> phases;
    int frame_changes = 0;
    for (const TimelineMark &m : s.timeline().marks()) {
      CHECK(m.position >= 0.0f);
      CHECK(m.position <= 1.0f);
      if (m.kind == TimelineMark::Kind::phase)
        phases.push_back(m.label);
      frame_changes += m.kind == TimelineMark::Kind::frame_change;
    }
    CHECK(phases == std::vector<std::string>{"Boot", "Auto"});
    CHECK(frame_changes == 2); // Frame 0 created, Frame 0 raised by R5
  }

  TEST_CASE("jumping between marks lands on phase and frame steps") {
    ViewerState s = open("blog_example_b_fixed.yaml");
    s.apply(intent::Seek{0});
    using sim::TraceEvent;
    std::vector<TraceEvent> events;
    for (int i = 0; i < 20 && !s.timeline().at_end(); ++i) {
      s.apply(intent::NextMark{});
      if (!s.timeline().at_end())
        events.push_back(s.timeline().current()->kind);
    }
    for (const TraceEvent e : events)
      CHECK((e == TraceEvent::phase || e == TraceEvent::fltmgr_start ||
             e == TraceEvent::frame_create || e == TraceEvent::frame_grow ||
             e == TraceEvent::frame_raise));
    CHECK(std::find(events.begin(), events.end(), TraceEvent::frame_create) != events.end());
    s.apply(intent::PreviousMark{});
    CHECK(s.timeline().position() < s.timeline().step_count());
  }

  TEST_CASE("playback advances at the set speed and stops at the end") {
    Timeline t;
    std::vector<sim::TraceStep> steps;
    for (int i = 1; i <= 5; ++i)
      steps.push_back({i, sim::TraceEvent::register_filter, "d" + std::to_string(i), "text", 0});
    t.reset(steps);
    CHECK(t.at_end());
    t.play(); // from the end, playback restarts at step 1
    CHECK(t.playing());
    CHECK(t.position() == 1);
    t.set_speed(2); // two steps per second
    CHECK_FALSE(t.tick(0.4));
    CHECK(t.tick(0.2)); // 0.6 s in: one step
    CHECK(t.position() == 2);
    CHECK(t.tick(10.0));
    CHECK(t.position() == 5);
    CHECK_FALSE(t.playing());
    t.pause();
    t.seek(99);
    CHECK(t.position() == 5);
    t.seek(-3);
    CHECK(t.position() == 0);
  }

  TEST_CASE("re-simulating keeps the position, and a timeline at the end stays at the end") {
    Timeline t;
    std::vector<sim::TraceStep> steps;
    for (int i = 1; i <= 5; ++i)
      steps.push_back({i, sim::TraceEvent::register_filter, "d", "text", 0});
    t.reset(steps);
    t.seek(3);
    t.reset(steps, true);
    CHECK(t.position() == 3);
    t.seek(5);
    steps.push_back({6, sim::TraceEvent::register_filter, "d", "text", 0});
    t.reset(steps, true);
    CHECK(t.position() == 6);
    steps.resize(2);
    t.seek(6);
    t.reset(steps, true);
    CHECK(t.position() == 2);
  }

  TEST_CASE("the state's playback tick redraws the stack") {
    ViewerState s = open("blog_example_a.yaml");
    s.apply(intent::Play{});
    CHECK(s.timeline().position() == 1);
    s.apply(intent::SetSpeed{4});
    CHECK(s.tick(0.3));
    CHECK(s.timeline().position() == 2);
    CHECK(s.stack_view().frames.size() == 1);
    s.apply(intent::Pause{});
    CHECK_FALSE(s.tick(1.0));
  }

} // TEST_SUITE
