#include "headless.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#define GLFW_INCLUDE_GLEXT
#include <GLFW/glfw3.h>
#include <stb_image_write.h>

#include "fltsim/frontend/exit_codes.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"

namespace fltsim::viewer {

namespace {

/// A colour renderbuffer in a framebuffer object: offscreen rendering at any size, independent
/// of the window (which may be hidden or smaller than the requested image).
class Offscreen {
public:
  bool create(int w, int h) {
    gen_fb_ = load<PFNGLGENFRAMEBUFFERSPROC>("glGenFramebuffers");
    bind_fb_ = load<PFNGLBINDFRAMEBUFFERPROC>("glBindFramebuffer");
    del_fb_ = load<PFNGLDELETEFRAMEBUFFERSPROC>("glDeleteFramebuffers");
    gen_rb_ = load<PFNGLGENRENDERBUFFERSPROC>("glGenRenderbuffers");
    bind_rb_ = load<PFNGLBINDRENDERBUFFERPROC>("glBindRenderbuffer");
    del_rb_ = load<PFNGLDELETERENDERBUFFERSPROC>("glDeleteRenderbuffers");
    storage_ = load<PFNGLRENDERBUFFERSTORAGEPROC>("glRenderbufferStorage");
    attach_ = load<PFNGLFRAMEBUFFERRENDERBUFFERPROC>("glFramebufferRenderbuffer");
    status_ = load<PFNGLCHECKFRAMEBUFFERSTATUSPROC>("glCheckFramebufferStatus");
    if (!gen_fb_ || !bind_fb_ || !del_fb_ || !gen_rb_ || !bind_rb_ || !del_rb_ || !storage_ ||
        !attach_ || !status_)
      return false;
    gen_fb_(1, &fbo_);
    bind_fb_(GL_FRAMEBUFFER, fbo_);
    gen_rb_(1, &rbo_);
    bind_rb_(GL_RENDERBUFFER, rbo_);
    storage_(GL_RENDERBUFFER, GL_RGBA8, w, h);
    attach_(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rbo_);
    return status_(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  }
  ~Offscreen() {
    if (bind_fb_)
      bind_fb_(GL_FRAMEBUFFER, 0);
    if (rbo_ && del_rb_)
      del_rb_(1, &rbo_);
    if (fbo_ && del_fb_)
      del_fb_(1, &fbo_);
  }
  Offscreen() = default;
  Offscreen(const Offscreen &) = delete;
  Offscreen &operator=(const Offscreen &) = delete;

private:
  template <class F> static F load(const char *name) {
    return reinterpret_cast<F>(glfwGetProcAddress(name));
  }
  PFNGLGENFRAMEBUFFERSPROC gen_fb_ = nullptr;
  PFNGLBINDFRAMEBUFFERPROC bind_fb_ = nullptr;
  PFNGLDELETEFRAMEBUFFERSPROC del_fb_ = nullptr;
  PFNGLGENRENDERBUFFERSPROC gen_rb_ = nullptr;
  PFNGLBINDRENDERBUFFERPROC bind_rb_ = nullptr;
  PFNGLDELETERENDERBUFFERSPROC del_rb_ = nullptr;
  PFNGLRENDERBUFFERSTORAGEPROC storage_ = nullptr;
  PFNGLFRAMEBUFFERRENDERBUFFERPROC attach_ = nullptr;
  PFNGLCHECKFRAMEBUFFERSTATUSPROC status_ = nullptr;
  GLuint fbo_ = 0;
  GLuint rbo_ = 0;
};

/// Reads the framebuffer and encodes it as PNG in memory; the caller writes it atomically.
std::optional<std::string> encode_png(int w, int h) {
  const auto stride = static_cast<std::size_t>(w) * 3;
  std::vector<unsigned char> px(stride * static_cast<std::size_t>(h));
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, px.data());
  // OpenGL's rows run bottom-up; PNG's top-down.
  std::vector<unsigned char> flipped(px.size());
  for (std::size_t y = 0; y < static_cast<std::size_t>(h); ++y)
    std::copy_n(px.begin() +
                    static_cast<std::ptrdiff_t>((static_cast<std::size_t>(h) - 1 - y) * stride),
                stride, flipped.begin() + static_cast<std::ptrdiff_t>(y * stride));
  std::string png;
  auto append = [](void *context, void *data, int size) {
    static_cast<std::string *>(context)->append(static_cast<const char *>(data),
                                                static_cast<std::size_t>(size));
  };
  if (stbi_write_png_to_func(append, &png, w, h, 3, flipped.data(), static_cast<int>(stride)) == 0)
    return std::nullopt;
  return png;
}

/// CPU time of the whole process (all threads, including llvmpipe's rasteriser threads).
double process_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

/// The 1-minute load average: frame times on a shared machine depend on it.
std::string load_average() {
  std::ifstream f("/proc/loadavg");
  std::string first;
  f >> first;
  return first.empty() ? "?" : first;
}

int draw_calls() {
  const ImDrawData *d = ImGui::GetDrawData();
  int n = 0;
  for (int i = 0; d && i < d->CmdListsCount; ++i)
    n += d->CmdLists[i]->CmdBuffer.Size;
  return n;
}

/// Pixels the frame's triangles cover inside their clip rectangles, summed (overdraw counts
/// twice): llvmpipe's cost is mostly this fill, so the bench reports it next to the frame time.
/// A triangle cut by its clip rectangle counts by the share of its bounding box inside it.
double covered_pixels() {
  const ImDrawData *d = ImGui::GetDrawData();
  double area = 0;
  for (int l = 0; d && l < d->CmdListsCount; ++l) {
    const ImDrawList *list = d->CmdLists[l];
    for (const ImDrawCmd &cmd : list->CmdBuffer) {
      const ImVec4 clip = cmd.ClipRect;
      for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
        ImVec2 p[3];
        for (unsigned k = 0; k < 3; ++k)
          p[k] = list->VtxBuffer[list->IdxBuffer[static_cast<int>(cmd.IdxOffset + i + k)]].pos;
        const double tri = std::abs(static_cast<double>((p[1].x - p[0].x) * (p[2].y - p[0].y) -
                                                        (p[2].x - p[0].x) * (p[1].y - p[0].y))) /
                           2;
        const float x0 = std::min({p[0].x, p[1].x, p[2].x});
        const float x1 = std::max({p[0].x, p[1].x, p[2].x});
        const float y0 = std::min({p[0].y, p[1].y, p[2].y});
        const float y1 = std::max({p[0].y, p[1].y, p[2].y});
        const double box = static_cast<double>(x1 - x0) * static_cast<double>(y1 - y0);
        const double inside =
            static_cast<double>(std::max(0.0f, std::min(x1, clip.z) - std::max(x0, clip.x))) *
            static_cast<double>(std::max(0.0f, std::min(y1, clip.w) - std::max(y0, clip.y)));
        area += box > 0 ? tri * inside / box : 0;
      }
    }
  }
  return area;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

} // namespace

std::optional<fltsim::frontend::Outcome> apply_startup_options(App &app, const Options &o) {
  if (!app.state().has_scenario()) {
    std::fprintf(stderr, "fltsim-view: could not load %s\n", o.scenario.c_str());
    for (const sim::Diagnostic &d : app.state().load_errors())
      std::fprintf(stderr, "%s\n", sim::format_diagnostic(d).c_str());
    return fltsim::frontend::Outcome::input_error;
  }
  if (o.apply_plan) {
    app.push(intent::RunPlanner{});
    app.apply_intents();
    app.state().wait_for_planner();
    app.push(intent::ApplyPlan{});
    app.apply_intents();
    if (!app.state().planner().applied) {
      std::fprintf(stderr, "fltsim-view: --apply-plan: %s\n",
                   app.state().planner().message.c_str());
      return fltsim::frontend::Outcome::findings;
    }
  }
  if (o.step) {
    app.push(intent::Seek{*o.step});
    app.apply_intents();
  }
  if (o.tab == "findings")
    app.select_tab(ui::SideTab::findings);
  else if (o.tab == "trace")
    app.select_tab(ui::SideTab::trace);
  else if (o.tab == "planner")
    app.select_tab(ui::SideTab::planner);
  else if (o.tab == "diagnosis")
    app.select_tab(ui::SideTab::diagnosis);
  if (o.tab == "planner" && app.state().planner().status == PlannerPanelState::Status::idle) {
    app.push(intent::RunPlanner{});
    app.apply_intents();
    app.state().wait_for_planner();
  }
  return std::nullopt;
}

fltsim::frontend::Outcome run_screenshot(App &app, const Options &o, const RenderFn &render) {
  Offscreen target;
  if (!target.create(o.width, o.height)) {
    std::fprintf(stderr, "fltsim-view: cannot create an offscreen framebuffer\n");
    return fltsim::frontend::Outcome::internal_error;
  }
  const FrameTarget t{o.width, o.height, true};
  for (int i = 0; i < 3; ++i) // tables, tab bars and scrolling settle over the first frames
    render(t);
  glFinish();
  const std::optional<std::string> png = encode_png(o.width, o.height);
  if (!png) {
    std::fprintf(stderr, "fltsim-view: cannot encode the framebuffer as PNG\n");
    return fltsim::frontend::Outcome::internal_error;
  }
  // Like every writer (README "Exit codes"): temporary file + rename, and never over an input.
  const std::vector<std::filesystem::path> inputs{o.scenario};
  if (auto err = io::write_file_atomic(o.screenshot, *png, inputs)) {
    std::fprintf(stderr, "fltsim-view: %s\n", err->c_str());
    return fltsim::frontend::Outcome::input_error;
  }
  if (!o.layout_json.empty()) {
    if (auto err = io::write_file_atomic(o.layout_json, app.layout_json(o.width, o.height),
                                         {o.scenario, o.screenshot})) {
      std::fprintf(stderr, "fltsim-view: %s\n", err->c_str());
      return fltsim::frontend::Outcome::input_error;
    }
  }
  std::printf("wrote %s (%dx%d)\n", o.screenshot.c_str(), o.width, o.height);
  return fltsim::frontend::Outcome::clean;
}

fltsim::frontend::Outcome run_bench(App &app, const Options &o, const RenderFn &render,
                                    const std::function<FrameTarget()> &window_target,
                                    const std::function<void()> &present) {
  using clock = std::chrono::steady_clock;
  const bool scrub = o.bench_mode == "scrub";
  const int steps = app.state().timeline().step_count();
  std::vector<double> ms;
  ms.reserve(static_cast<std::size_t>(o.bench_frames));
  double ui_ms = 0;
  double gl_ms = 0;
  double swap_ms = 0;
  const int warmup = 5;
  double cpu_start = process_cpu_ms();
  for (int i = 0; i < o.bench_frames + warmup; ++i) {
    if (i == warmup) {
      ui_ms = gl_ms = swap_ms = 0;
    }
    const auto t0 = clock::now();
    if (scrub && steps > 0) // a different step every frame: re-simulate, re-layout, redraw
      app.push(intent::Seek{1 + i % steps});
    FrameTarget target = window_target();
    target.finish = true;
    const FrameTimes ft = render(target);
    const auto t1 = clock::now();
    present();
    const auto t2 = clock::now();
    ui_ms += ft.ui_ms;
    gl_ms += ft.gl_ms;
    swap_ms += std::chrono::duration<double, std::milli>(t2 - t1).count();
    if (i >= warmup)
      ms.push_back(std::chrono::duration<double, std::milli>(t2 - t0).count());
    if (i + 1 == warmup)
      cpu_start = process_cpu_ms();
  }
  const auto n = static_cast<double>(ms.size());
  const double mean = std::accumulate(ms.begin(), ms.end(), 0.0) / n;
  const double cpu_ms = (process_cpu_ms() - cpu_start) / n;
  const StackView &v = app.state().stack_view();
  const ImDrawData *dd = ImGui::GetDrawData();
  const char *renderer = reinterpret_cast<const char *>(glGetString(GL_RENDERER));
  const FrameTarget wt = window_target();
  auto num = [](double x) {
    char b[32];
    std::snprintf(b, sizeof b, "%.2f", x);
    return std::string(b);
  };
  std::string json = "{\"mode\": \"" + o.bench_mode + "\"";
  auto field = [&json](const char *key, const std::string &value) {
    json += std::string(", \"") + key + "\": " + value;
  };
  field("frames", std::to_string(ms.size()));
  field("width", std::to_string(wt.width));
  field("height", std::to_string(wt.height));
  field("drivers", std::to_string(app.state().scenario().drivers.size()));
  field("filters_drawn", std::to_string(v.filter_count));
  field("trace_steps", std::to_string(steps));
  field("mean_ms", num(mean));
  field("p50_ms", num(percentile(ms, 0.5)));
  field("p95_ms", num(percentile(ms, 0.95)));
  field("max_ms", num(*std::max_element(ms.begin(), ms.end())));
  field("fps_mean", num(1000.0 / mean));
  field("ui_ms", num(ui_ms / n));
  field("gl_ms", num(gl_ms / n));
  field("swap_ms", num(swap_ms / n));
  field("process_cpu_ms", num(cpu_ms));
  field("vertices", std::to_string(dd ? dd->TotalVtxCount : 0));
  field("indices", std::to_string(dd ? dd->TotalIdxCount : 0));
  field("draw_calls", std::to_string(draw_calls()));
  field("covered_px", num(covered_pixels()));
  field("load_average", "\"" + load_average() + "\"");
  field("renderer", "\"" + std::string(renderer ? renderer : "?") + "\"");
  json += "}\n";
  std::fputs(json.c_str(), stdout);
  if (!o.bench_json.empty())
    if (auto err = io::write_file_atomic(o.bench_json, json, {o.scenario})) {
      std::fprintf(stderr, "fltsim-view: %s\n", err->c_str());
      return fltsim::frontend::Outcome::input_error;
    }
  return fltsim::frontend::Outcome::clean;
}

} // namespace fltsim::viewer
