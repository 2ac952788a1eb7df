#pragma once
// Headless runs of the real viewer: --screenshot (render offscreen into a framebuffer object and
// write a PNG, optionally the layout JSON) and --bench-frames (frame-time measurement).
#include <functional>

#include "app.hpp"
#include "options.hpp"

namespace fltsim::viewer {

/// Where a frame is rendered: the window (size from GLFW) or a fixed-size offscreen target.
struct FrameTarget {
  int width = 0;
  int height = 0;
  bool offscreen = false; ///< fixed size, no mouse
  bool finish = false;    ///< glFinish() after drawing, so gl_ms covers the rasterisation
};
/// Where a frame's time went (wall clock).
struct FrameTimes {
  double ui_ms = 0;     ///< model update, ImGui panels, ImGui::Render, intents
  double gl_ms = 0;     ///< OpenGL draw calls (and with FrameTarget::finish, rasterisation)
  bool changed = false; ///< the frame applied intents: the next one may look different
};
/// Renders one complete frame (update, panels, GL draw) into the bound framebuffer; no swap.
using RenderFn = std::function<FrameTimes(const FrameTarget &)>;

/// One complete frame into the bound framebuffer: app update, panels, GL draw, intents.
FrameTimes render_frame(App &app, const FrameTarget &target, double seconds);

/// Applies --apply-plan, --step and --tab. Returns the outcome to stop with, or nullopt to go on.
[[nodiscard]] std::optional<fltsim::frontend::Outcome>
apply_startup_options(App &app, const Options &options);

/// --screenshot: renders a few frames offscreen (ImGui settles sizes in the first frames) and
/// writes the last one. Returns the exit code.
[[nodiscard]] fltsim::frontend::Outcome run_screenshot(App &app, const Options &options,
                                                       const RenderFn &render);

/// --bench-frames: renders frames into the window as fast as possible (swap interval 0) and
/// prints frame-time statistics. Returns the exit code.
[[nodiscard]] fltsim::frontend::Outcome run_bench(App &app, const Options &options,
                                                  const RenderFn &render,
                                                  const std::function<FrameTarget()> &window_target,
                                                  const std::function<void()> &present);

} // namespace fltsim::viewer
