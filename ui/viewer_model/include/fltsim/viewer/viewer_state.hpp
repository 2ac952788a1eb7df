#pragma once
// ViewerState: everything the viewer shows, and the only place that changes it. Panels read it and
// push intents; the app applies the intents here between frames (file IO intents go to the app,
// which calls load()/reload()/saved()). Every derived view (stack picture, table rows, planner
// towers) is rebuilt here, so the panels only draw.
//
//   ViewerState s;                       // planner = builtin_planner()
//   s.load(scenario, "scenarios/blog_example_a.yaml");
//   s.stack_view().frames.size();        // final stack: 1 frame, 2 legacy blocks, 1 connector
//   s.apply(intent::Seek{6});            // the stack as of trace step 6, frame 0 highlighted
//   s.apply(intent::EditDriver{3, DriverField::altitude, "12x"}); // inline error, no change
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fltsim/diagnose/diagnose.hpp"
#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/result.hpp"
#include "fltsim/sim/scenario.hpp"
#include "fltsim/viewer/drivers_table.hpp"
#include "fltsim/viewer/intents.hpp"
#include "fltsim/viewer/planner_model.hpp"
#include "fltsim/viewer/stack_view.hpp"
#include "fltsim/viewer/timeline.hpp"

namespace fltsim::viewer {

/// An edit that was refused: the text the user typed and why it is wrong.
struct EditError {
  std::string text;
  std::string message;
};

class ViewerState {
public:
  explicit ViewerState(PlannerFunction planner = builtin_planner(), StackLayoutOptions layout = {});

  // ---- document ------------------------------------------------------------------------------
  /// A freshly opened scenario: edits, selection and planner reset; the timeline shows the end.
  void load(sim::Scenario scenario, std::string path);
  /// The open file changed on disk and parsed: the file wins over unsaved edits; the timeline
  /// position and the selection (by driver name) are kept when they still exist.
  void reload(sim::Scenario scenario);
  /// Opening or reloading `path` failed: the last good scenario stays on screen with the
  /// diagnostics, and `path` becomes the document (so fixing that file loads it).
  void load_failed(std::string path, std::vector<sim::Diagnostic> diagnostics);
  /// The app saved the scenario to `path` (ok) or failed with `message`.
  void saved(const std::string &path, bool ok, const std::string &message);
  /// The diagnosis of the machine on screen (`fltsim diagnose`'s report, docs/diagnose.md), set by
  /// the app after it opened a capture, hive, `.reg` export or bundle folder; load() clears it.
  void set_report(std::optional<diagnose::Document> report) { report_ = std::move(report); }
  [[nodiscard]] const std::optional<diagnose::Document> &report() const { return report_; }

  [[nodiscard]] bool has_scenario() const { return scenario_.has_value(); }
  [[nodiscard]] const sim::Scenario &scenario() const { return *scenario_; }
  /// The document: the file last opened (it may have failed to load).
  [[nodiscard]] const std::string &path() const { return path_; }
  /// The file the scenario on screen came from; differs from path() after a failed open.
  [[nodiscard]] const std::string &scenario_path() const { return scenario_path_; }
  [[nodiscard]] const std::vector<sim::Diagnostic> &load_errors() const { return load_errors_; }
  [[nodiscard]] bool modified() const { return modified_; }
  [[nodiscard]] bool auto_reload() const { return auto_reload_; }
  [[nodiscard]] const std::string &status() const { return status_; }

  // ---- derived views ---------------------------------------------------------------------------
  [[nodiscard]] const sim::SimResult &final_result() const { return final_; }
  /// The stack as of the timeline position.
  [[nodiscard]] const sim::SimResult &shown_result() const;
  [[nodiscard]] const StackView &stack_view() const { return view_; }
  [[nodiscard]] const std::vector<DriverRow> &driver_rows() const { return rows_; }
  [[nodiscard]] const Timeline &timeline() const { return timeline_; }
  [[nodiscard]] int selected_driver() const { return selected_; }
  /// The volume whose stack is shown (intent::SelectVolume); nullopt = the whole stack.
  [[nodiscard]] const std::optional<std::string> &selected_volume() const { return volume_; }
  [[nodiscard]] const PlannerPanelState &planner() const { return planner_panel_; }
  [[nodiscard]] const StackLayoutOptions &layout() const { return layout_; }
  /// The refused edit for a cell, if the user's last input there was invalid.
  [[nodiscard]] const EditError *edit_error(int driver, DriverField field) const;
  [[nodiscard]] std::size_t edit_error_count() const { return edit_errors_.size(); }

  // ---- changes -------------------------------------------------------------------------------
  /// Applies a non-IO intent (IO intents are ignored: see is_io_intent()).
  void apply(const Intent &intent);
  /// Advances playback and collects a finished planner run; returns true when something shown
  /// changed.
  bool tick(double seconds);
  /// Blocks until a running planner finishes and shows its result (headless runs, tests).
  void wait_for_planner();
  void set_layout(const StackLayoutOptions &layout);

private:
  void resimulate(bool keep_position);
  void refresh_shown();
  void rebuild_view();
  void edit(const intent::EditDriver &e);
  void start_planner();
  void finish_planner();
  void scenario_changed() { ++revision_; }

  PlannerFunction planner_fn_;
  StackLayoutOptions layout_;
  std::optional<sim::Scenario> scenario_;
  std::optional<sim::Scenario> on_disk_; ///< as loaded, for RevertEdits
  std::string path_;
  std::string scenario_path_;
  std::vector<sim::Diagnostic> load_errors_;
  std::optional<diagnose::Document> report_;
  bool modified_ = false;
  bool auto_reload_ = true;
  std::string status_;

  sim::SimResult final_;
  std::optional<sim::SimResult> partial_; ///< set when the timeline is not at the end
  StackView view_;
  std::vector<DriverRow> rows_;
  Timeline timeline_;
  int selected_ = -1;
  std::optional<std::string> volume_; ///< stack of one volume, see selected_volume()
  bool navigated_ = false;            ///< the user moved the timeline since the scenario was opened
  std::map<std::pair<int, DriverField>, EditError> edit_errors_;
  /// Instances dropped when a driver was switched to legacy, restored if it is switched back.
  std::map<std::string, std::pair<std::vector<sim::Instance>, std::optional<std::string>>>
      stashed_instances_;
  PlannerPanelState planner_panel_;
  PlannerJob planner_job_;
  std::uint64_t revision_ = 0;         ///< bumped on every change of the scenario
  std::uint64_t planner_revision_ = 0; ///< revision the running planner works on
};

} // namespace fltsim::viewer
