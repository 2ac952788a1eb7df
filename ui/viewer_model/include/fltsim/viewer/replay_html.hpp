#pragma once
// The boot replay as one self-contained HTML page (`fltsim simulate --format html --trace`): the
// viewer's timeline (timeline.hpp) without the viewer. For each timeline position 0..N the stack
// as of that step (SimOptions::stop_after_step, as ViewerState does) is laid out by
// build_stack_view with the step's focus (focus_of: the frame created, grown, raised or registered
// into is highlighted, the filter registering is green) and inlined as an <svg>; the narration of
// every step is a list beside it. Inline CSS and a small inline script show one position at a
// time: play/pause, step back/forward, first/last, a scrubber, the arrow keys. A
// Content-Security-Policy forbids every fetch, so the page works opened from disk, offline.
//
// Test hooks (tests/pictures/test_pictures.py): the page's `window.fltsimReplay` is
// {count, position(), seek(n)}; the shown position's <section class="step"> is the only one not
// `hidden`, and its narration <li> has class "current" and aria-current="step".
#include <string>

#include "fltsim/sim/result.hpp"
#include "fltsim/sim/scenario.hpp"
#include "fltsim/viewer/stack_view.hpp"

namespace fltsim::viewer {

struct ReplayOptions {
  std::string title;  ///< page title; default: the scenario's title
  std::string source; ///< the scenario file, shown in the header
  std::string volume; ///< non-empty: the per-volume stack (volume_stack, svg.hpp)
  StackLayoutOptions layout;
};

/// `final_result` is sim::simulate(scenario) (its trace gives the steps).
[[nodiscard]] std::string replay_html(const sim::Scenario &scenario,
                                      const sim::SimResult &final_result,
                                      const ReplayOptions &options = {});

} // namespace fltsim::viewer
