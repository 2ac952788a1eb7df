#pragma once
// The viewer application without a window: owns the ViewerState, does the file IO, lays the
// panels out in one full-screen ImGui window, and applies the panels' intents between frames.
// main.cpp (GLFW + OpenGL) and the headless smoke test both drive it:
//
//   app.update(dt);   // before ImGui::NewFrame(): auto-reload, playback
//   app.draw();       // between NewFrame() and Render(): the panels
//   app.apply_intents(); // after Render()
#include <string>
#include <vector>

#include "fltsim/baselines/baselines.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/viewer/file_watch.hpp"
#include "fltsim/viewer/viewer_state.hpp"
#include "panels.hpp"

namespace fltsim::viewer {

class App {
public:
  /// `scenario_dir`: where the bundled scenarios are (for the Scenarios menu).
  explicit App(const std::string &scenario_dir, PlannerFunction planner = builtin_planner());

  /// Adds the UI font (DejaVu Sans with the en dash the frame labels use, or ImGui's default)
  /// to the current ImGui context's atlas. Call before the renderer builds the font texture.
  static void setup_fonts_and_style();

  /// The window background: the renderer clears to it (the main ImGui window draws none).
  [[nodiscard]] static Color background() { return color_of(Role::canvas); }
  /// True while something changes without input (playback, a planner run): keep drawing.
  [[nodiscard]] bool animating() const;

  /// Opens a scenario file now (also used for the command line argument).
  void open(const std::string &path);
  /// `--baseline`: every scenario opened or reloaded from now on is shown on these baselines
  /// (docs/baselines.md), replacing the file's own `baseline:`.
  void set_baselines(std::vector<const baselines::Baseline *> parts) {
    baselines_ = std::move(parts);
  }
  void update(double seconds);
  void draw();
  /// Returns true when there were intents (the picture may change: draw again).
  bool apply_intents();
  /// Queues an intent as if a panel had pushed it (command line options, tests).
  void push(const Intent &i) { queue_.push_back(i); }
  void select_tab(ui::SideTab tab);

  [[nodiscard]] ViewerState &state() { return state_; }
  [[nodiscard]] const ViewerState &state() const { return state_; }
  [[nodiscard]] const ui::CanvasInfo &canvas() const { return canvas_; }
  [[nodiscard]] bool quit_requested() const { return ui_.quit; }
  /// Layout of the stack picture drawn in the last frame, as JSON (see layout_json.hpp).
  [[nodiscard]] std::string layout_json(int image_width, int image_height) const;

private:
  void handle_io(const Intent &i);
  [[nodiscard]] manifest::ScenarioLoad load_file(const std::string &path) const;
  /// A scenario file (load_file), or any other input the door accepts -- a capture, an event log
  /// with its capture's folder, a .reg export, a SYSTEM hive, a bundle folder -- read as
  /// `fltsim diagnose` reads it: the machine's stack, and its diagnosis beside it.
  struct Loaded {
    manifest::ScenarioLoad load;
    std::optional<diagnose::Document> report;
  };
  [[nodiscard]] Loaded load_any(const std::string &path) const;
  void save_as(const std::string &path);

  ViewerState state_;
  ui::UiBuffers ui_;
  ui::CanvasInfo canvas_;
  ActionQueue queue_;
  FileWatcher watcher_;
  double since_poll_ = 0;
  std::vector<const baselines::Baseline *> baselines_;
};

} // namespace fltsim::viewer
