// One frame of the viewer: the loop in main.cpp and the headless runs share it.
#include <cfloat>
#include <chrono>
#include <cstdint>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "headless.hpp"

namespace fltsim::viewer {

/// One complete frame into the bound framebuffer: app update, panels, GL draw, intents.
FrameTimes render_frame(App &app, const FrameTarget &t, double dt) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  app.update(dt);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  // Text and boxes are drawn 1:1 at whole pixels, so nearest sampling of the font atlas looks the
  // same as linear and is much cheaper for a software rasteriser.
  glBindTexture(GL_TEXTURE_2D,
                static_cast<GLuint>(reinterpret_cast<std::intptr_t>(ImGui::GetIO().Fonts->TexID)));
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  ImGuiIO &io = ImGui::GetIO();
  if (t.offscreen) {
    io.DisplaySize = ImVec2(static_cast<float>(t.width), static_cast<float>(t.height));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  }
  ImGui::NewFrame();
  app.draw();
  ImGui::Render();
  const bool changed = app.apply_intents();
  const auto t1 = clock::now();
  glViewport(0, 0, t.width, t.height);
  const Color bg = App::background();
  glClearColor(bg.r / 255.0f, bg.g / 255.0f, bg.b / 255.0f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (t.finish)
    glFinish();
  const auto t2 = clock::now();
  return {std::chrono::duration<double, std::milli>(t1 - t0).count(),
          std::chrono::duration<double, std::milli>(t2 - t1).count(), changed};
}

} // namespace fltsim::viewer
