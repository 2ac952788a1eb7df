// fltsim-view: the plain GLFW + OpenGL 3.3 loop around App (after Dear ImGui's
// examples/example_glfw_opengl3/main.cpp). Everything the viewer does is in App; --screenshot and
// --bench-frames are in headless.cpp.
#include <algorithm>
#include <cstdio>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "app.hpp"
#include "fltsim/frontend/exit_codes.hpp"
#include "fltsim/frontend/install_paths.hpp"
#include "headless.hpp"
#include "options.hpp"

using namespace fltsim::viewer;

namespace {

void glfw_error(int code, const char *description) {
  std::fprintf(stderr, "fltsim-view: GLFW error %d: %s\n", code, description);
}

// Frames still to draw before the loop waits for input: ImGui needs a few frames to settle
// hovers and layout. An idle viewer then sleeps (software rendering costs a whole core).
int g_redraw = 3;
void wake_on_input(GLFWwindow *w) {
  glfwSetCursorPosCallback(w, [](GLFWwindow *, double, double) { g_redraw = 3; });
  glfwSetMouseButtonCallback(w, [](GLFWwindow *, int, int, int) { g_redraw = 3; });
  glfwSetScrollCallback(w, [](GLFWwindow *, double, double) { g_redraw = 3; });
  glfwSetKeyCallback(w, [](GLFWwindow *, int, int, int, int) { g_redraw = 3; });
  glfwSetCharCallback(w, [](GLFWwindow *, unsigned) { g_redraw = 3; });
  glfwSetWindowRefreshCallback(w, [](GLFWwindow *) { g_redraw = 3; });
}

} // namespace

using fltsim::frontend::exit_code;

int main(int argc, char **argv) {
  Options opt;
  if (auto outcome = parse_options(argc, argv, opt))
    return exit_code(*outcome);
  const bool headless = !opt.screenshot.empty();

  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) {
    std::fprintf(stderr, "fltsim-view: cannot initialise GLFW (no display? try xvfb-run)\n");
    return exit_code(fltsim::frontend::Outcome::cannot_render);
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  if (headless)
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  GLFWwindow *window = glfwCreateWindow(opt.width, opt.height, "fltsim-view", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "fltsim-view: cannot create an OpenGL 3.3 core window\n");
    glfwTerminate();
    return exit_code(fltsim::frontend::Outcome::cannot_render);
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(opt.bench_frames > 0 ? 0 : 1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  App::setup_fonts_and_style();
  wake_on_input(window); // before the backend installs (and chains to) its callbacks
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  std::optional<fltsim::frontend::Outcome> rc;
  {
    App app(fltsim::frontend::bundled_scenario_dir().string());
    app.set_baselines(opt.baseline_parts);
    if (!opt.scenario.empty()) {
      app.open(opt.scenario);
      if (headless || opt.bench_frames > 0 || opt.step || opt.apply_plan || !opt.tab.empty())
        rc = apply_startup_options(app, opt); // set: a startup option failed
    }
    auto window_target = [&] {
      FrameTarget t;
      glfwGetFramebufferSize(window, &t.width, &t.height);
      return t;
    };
    const RenderFn render = [&](const FrameTarget &t) { return render_frame(app, t, 1.0 / 60.0); };
    if (rc) {
      // a startup option failed: stop with its outcome
    } else if (headless) {
      rc = run_screenshot(app, opt, render);
    } else if (opt.bench_frames > 0) {
      rc = run_bench(app, opt, render, window_target, [&] { glfwSwapBuffers(window); });
    } else {
      double last = glfwGetTime();
      while (!glfwWindowShouldClose(window) && !app.quit_requested()) {
        if (g_redraw > 0 || app.animating())
          glfwPollEvents();
        else
          glfwWaitEventsTimeout(0.5); // idle: wake for input, or to poll the file for changes
        if (glfwGetWindowAttrib(window, GLFW_ICONIFIED)) {
          glfwWaitEventsTimeout(0.5); // minimised: nothing to draw
          continue;
        }
        const double now = glfwGetTime();
        const FrameTimes ft = render_frame(app, window_target(), now - last);
        last = now;
        glfwSwapBuffers(window);
        g_redraw = ft.changed ? 3 : std::max(0, g_redraw - 1);
      }
      rc = fltsim::frontend::Outcome::clean;
    }
  }

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code(rc.value_or(fltsim::frontend::Outcome::clean));
}
