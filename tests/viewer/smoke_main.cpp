// Headless ImGui smoke test: no window and no renderer. A context
// with io.DisplaySize and a built font atlas runs the real panels through NewFrame()/Render() for
// one scenario: every side tab, several timeline positions, an invalid and a valid edit, the
// planner, saving as a new file and reloading after a change on disk. Debian's libimgui.a keeps
// IM_ASSERT on, so an ID conflict or a Begin/End mismatch aborts the process and CTest reports a
// failure.
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include <imgui.h>

#include "app.hpp"
#include "fltsim/baselines/baselines.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"

using namespace fltsim::viewer;

namespace {

void frame(App &app, float w, float h) {
  ImGuiIO &io = ImGui::GetIO();
  io.DisplaySize = ImVec2(w, h);
  io.DeltaTime = 1.0f / 60.0f;
  app.update(io.DeltaTime);
  ImGui::NewFrame();
  app.draw();
  ImGui::Render();
  app.apply_intents();
}

/// Save as a new file (never over the open one), then change that file on disk and see the
/// viewer reload it.
int check_files(App &app, const std::string &opened) {
  namespace fs = std::filesystem;
  std::random_device rd;
  const fs::path dir = fs::temp_directory_path() / ("fltsim-smoke-" + std::to_string(rd()));
  fs::create_directories(dir);
  int failures = 0;
  auto fail = [&](const char *what) {
    std::fprintf(stderr, "viewer_smoke: %s\n", what);
    failures = 1;
  };
  const std::string before = fltsim::io::read_text_file(opened).text.value_or("");
  app.push(intent::SaveScenarioAs{opened});
  frame(app, 1600, 1000);
  if (!app.state().planner().message_is_error ||
      fltsim::io::read_text_file(opened).text.value_or("") != before)
    fail("saving over the open file was not refused");
  const std::string saved = (dir / "saved.yaml").string();
  app.push(intent::SaveScenarioAs{saved});
  frame(app, 1600, 1000);
  const auto load = fltsim::inputs::load_scenario_file(saved);
  if (app.state().path() != saved || app.state().modified() || !load.scenario ||
      load.scenario->drivers.size() != app.state().scenario().drivers.size())
    fail("the saved scenario does not load back");
  // Another program rewrites the file: the viewer reloads it on its next poll.
  const fs::path other = fs::path(FLTSIM_SCENARIO_DIR) / "blog_example_b_fixed.yaml";
  const auto expected = fltsim::inputs::load_scenario_file(other);
  fs::copy_file(other, dir / "tmp.yaml");
  fs::rename(dir / "tmp.yaml", saved); // as editors save: write elsewhere, rename over
  app.update(1.0);
  frame(app, 1600, 1000);
  if (!expected.scenario || app.state().scenario().title != expected.scenario->title)
    fail("the file changed on disk but the viewer did not reload it");
  std::error_code ec;
  fs::remove_all(dir, ec);
  return failures;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: viewer_smoke SCENARIO\n");
    return 2;
  }
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  App::setup_fonts_and_style();
  unsigned char *pixels = nullptr;
  int fw = 0;
  int fh = 0;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &fw, &fh);

  int failures = 0;
  const auto type = fltsim::inputs::manifest_type(argv[1]);
  const bool machine_evidence =
      type != fltsim::inputs::ManifestType::yaml && type != fltsim::inputs::ManifestType::inf;
  {
    App app(FLTSIM_SCENARIO_DIR);
    app.open(argv[1]);
    if (!app.state().has_scenario()) {
      std::fprintf(stderr, "viewer_smoke: %s did not load\n", argv[1]);
      failures = 1;
    } else {
      const ui::SideTab tabs[] = {ui::SideTab::drivers, ui::SideTab::findings, ui::SideTab::trace,
                                  ui::SideTab::planner, ui::SideTab::diagnosis};
      const int steps = app.state().timeline().step_count();
      const int positions[] = {0, 1, steps / 2, steps};
      for (const ui::SideTab t : tabs) {
        app.select_tab(t);
        for (const int p : positions) {
          app.push(intent::Seek{p});
          for (int i = 0; i < 3; ++i)
            frame(app, 1600, 1000);
        }
        frame(app, 640, 400); // small window: scrolling and clipping paths
      }
      // An invalid edit shows an inline error row; a valid one re-simulates.
      const auto &drivers = app.state().scenario().drivers;
      for (int d = 0; d < static_cast<int>(drivers.size()); ++d)
        if (drivers[static_cast<std::size_t>(d)].is_minifilter()) {
          app.select_tab(ui::SideTab::drivers);
          app.push(intent::EditDriver{d, DriverField::altitude, "12x"});
          frame(app, 1600, 1000);
          frame(app, 1600, 1000);
          if (app.state().edit_error_count() != 1) {
            std::fprintf(stderr, "viewer_smoke: invalid altitude not reported\n");
            failures = 1;
          }
          app.push(intent::EditDriver{d, DriverField::altitude, "123456"});
          frame(app, 1600, 1000);
          break;
        }
      app.select_tab(ui::SideTab::planner);
      app.push(intent::RunPlanner{});
      app.push(intent::Play{});
      for (int i = 0; i < 5; ++i)
        frame(app, 1600, 1000);
      if (ImGui::GetDrawData() == nullptr || ImGui::GetDrawData()->CmdListsCount == 0) {
        std::fprintf(stderr, "viewer_smoke: nothing was drawn\n");
        failures = 1;
      }
      // A machine's evidence (docs/diagnose.md) opens with its diagnosis beside the stack; it
      // is not a scenario file to save over and rewrite, nor one a baseline goes under.
      if (machine_evidence && !app.state().report()) {
        std::fprintf(stderr, "viewer_smoke: %s opened without its diagnosis\n", argv[1]);
        failures = 1;
      }
      if (!machine_evidence && app.state().report()) {
        std::fprintf(stderr, "viewer_smoke: %s is a scenario, yet has a diagnosis\n", argv[1]);
        failures = 1;
      }
      if (!machine_evidence)
        failures |= check_files(app, argv[1]);
    }
  }
  if (!machine_evidence) {
    // --baseline (docs/baselines.md): the scenario opens on Windows 11 24H2's inbox filters,
    // replacing the file's own baseline: if it has one, and the panels draw it.
    App app(FLTSIM_SCENARIO_DIR);
    const auto *b = fltsim::baselines::find_baseline("windows-11-24h2");
    if (b)
      app.set_baselines({b});
    app.open(argv[1]);
    frame(app, 1600, 1000);
    bool on_baseline = false;
    if (app.state().has_scenario())
      for (const auto &d : app.state().scenario().drivers)
        on_baseline = on_baseline || d.location.file == "data/baselines/windows-11-24h2.yaml";
    if (!b || !on_baseline) {
      std::fprintf(stderr, "viewer_smoke: %s did not open on the windows-11-24h2 baseline\n",
                   argv[1]);
      failures = 1;
    }
  }
  ImGui::DestroyContext();
  if (failures == 0)
    std::printf("viewer_smoke: %s ok\n", argv[1]);
  return failures;
}
