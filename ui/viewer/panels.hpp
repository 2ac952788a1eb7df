#pragma once
// The panels: ImGui calls only. Each one reads the ViewerState, draws, and pushes intents; none
// changes the simulation. Text-field buffers (which are UI state, not simulation state) live in
// UiBuffers.
#include <string>
#include <vector>

#include <imgui.h>

#include "fltsim/viewer/intents.hpp"
#include "fltsim/viewer/layout_json.hpp"
#include "fltsim/viewer/viewer_state.hpp"

namespace fltsim::viewer::ui {

/// A bundled scenario for the Scenarios menu.
struct BundledScenario {
  std::string menu; ///< "edge/e3_legacy_without_altitude"
  std::string path; ///< absolute path
};

enum class SideTab { drivers, findings, trace, planner, diagnosis };

/// UI-only state the panels may change directly.
struct UiBuffers {
  std::string path_input;       ///< the "Scenario" path field
  std::string save_path_input;  ///< the "Save as" field
  bool open_save_popup = false; ///< File > Save as... was chosen this frame
  std::vector<BundledScenario> bundled;
  SideTab requested_tab = SideTab::drivers; ///< tab to bring to front once
  bool tab_request_pending = false;
  bool quit = false;
};

/// Where the stack picture was drawn in the last frame (for --layout-json).
struct CanvasInfo {
  bool drawn = false;
  Vec2 origin; ///< screen position of the StackView's (0, 0)
  Rect clip;   ///< visible part of the canvas
};

// Colours and small helpers shared by the panels.
[[nodiscard]] ImU32 im_color(Role role, int alpha = 255);
[[nodiscard]] ImVec4 im_color4(Role role);
/// Draws a StackView with its top-left at `origin`, culling what is outside `clip`; returns the
/// hit under the mouse (content coordinates) if `hover` is set.
Hit draw_stack_view(ImDrawList *dl, const StackView &view, ImVec2 origin, const Rect &clip,
                    bool hover);

void draw_menu_bar(const ViewerState &state, UiBuffers &ui, ActionQueue &out);
void draw_file_bar(const ViewerState &state, UiBuffers &ui, ActionQueue &out);
void draw_save_popup(const ViewerState &state, UiBuffers &ui, ActionQueue &out);
void draw_stack_panel(const ViewerState &state, ActionQueue &out, CanvasInfo &canvas);
void draw_timeline_panel(const ViewerState &state, ActionQueue &out);
void draw_drivers_panel(const ViewerState &state, ActionQueue &out);
void draw_findings_panel(const ViewerState &state, ActionQueue &out);
void draw_trace_panel(const ViewerState &state, ActionQueue &out);
void draw_planner_panel(const ViewerState &state, UiBuffers &ui, ActionQueue &out);
/// `fltsim diagnose`'s report of the machine on screen (ViewerState::report()), section by section.
void draw_diagnosis_panel(const ViewerState &state);

} // namespace fltsim::viewer::ui
