// Planner panel: run the planner, show the stacks before and after side by side, apply the
// dummies to the scenario, save the result as a new scenario file.
#include <algorithm>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "panels.hpp"

namespace fltsim::viewer::ui {

namespace {

void tower(const char *id, const char *title, std::size_t errors, const StackView &v, float width) {
  ImGui::BeginGroup();
  ImGui::Text("%s", title);
  ImGui::SameLine();
  if (errors > 0)
    ImGui::TextColored(im_color4(Role::error_text), "(%zu error finding%s)", errors,
                       errors == 1 ? "" : "s");
  else
    ImGui::TextColored(im_color4(Role::minifilter_new), "(no error findings)");
  ImGui::BeginChild(id, ImVec2(width, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float spare = std::max(0.0f, ImGui::GetContentRegionAvail().y - v.size.y);
  const ImVec2 o{origin.x, origin.y + spare};
  ImGui::Dummy(ImVec2(v.size.x, v.size.y + spare));
  const ImVec2 wpos = ImGui::GetWindowPos();
  const ImVec2 wsize = ImGui::GetWindowSize();
  draw_stack_view(ImGui::GetWindowDrawList(), v, o, {wpos.x, wpos.y, wsize.x, wsize.y},
                  ImGui::IsWindowHovered());
  ImGui::EndChild();
  ImGui::EndGroup();
}

} // namespace

void draw_planner_panel(const ViewerState &state, UiBuffers &ui, ActionQueue &out) {
  if (!state.has_scenario())
    return;
  const PlannerPanelState &p = state.planner();
  ImGui::TextDisabled("The planner searches for dummy minifilters that force fltmgr to open a "
                      "frame where the stack needs one (the blog's fix).");
  if (ImGui::Button("Run planner"))
    out.push_back(intent::RunPlanner{});
  ImGui::SameLine();
  const bool can_apply = p.status == PlannerPanelState::Status::found && !p.applied;
  ImGui::BeginDisabled(!can_apply);
  if (ImGui::Button("Apply fix to scenario"))
    out.push_back(intent::ApplyPlan{});
  ImGui::EndDisabled();
  ImGui::SameLine();
  switch (p.status) {
  case PlannerPanelState::Status::idle:
    ImGui::TextDisabled("not run yet");
    break;
  case PlannerPanelState::Status::unavailable:
    ImGui::TextColored(im_color4(Role::error_text), "planner not built");
    break;
  case PlannerPanelState::Status::running:
    ImGui::Text("planning... %llu simulations", static_cast<unsigned long long>(p.simulations));
    break;
  case PlannerPanelState::Status::found:
    ImGui::TextColored(im_color4(Role::minifilter_new), p.applied ? "fix applied" : "fix found");
    break;
  case PlannerPanelState::Status::nothing_to_fix:
    ImGui::TextColored(im_color4(Role::minifilter_new), "nothing to fix");
    break;
  case PlannerPanelState::Status::not_found:
    ImGui::TextColored(im_color4(Role::error_text), "no fix found");
    break;
  case PlannerPanelState::Status::stale:
    ImGui::TextColored(im_color4(Role::legacy_highlight),
                       "the scenario changed since the planner ran: run it again");
    break;
  }

  // Save the open scenario (with the applied fix and any edits) as a new file.
  ImGui::SetNextItemWidth(-150);
  ImGui::InputTextWithHint("##save_path", "path of the new scenario file", &ui.save_path_input);
  ImGui::SameLine();
  ImGui::BeginDisabled(ui.save_path_input.empty());
  if (ImGui::Button("Save as new file"))
    out.push_back(intent::SaveScenarioAs{ui.save_path_input});
  ImGui::EndDisabled();
  if (!p.message.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    if (p.message_is_error)
      ImGui::TextColored(im_color4(Role::error_text), "%s", p.message.c_str());
    else
      ImGui::TextUnformatted(p.message.c_str());
    ImGui::PopTextWrapPos();
  }
  if (!p.proposal)
    return;
  ImGui::PushTextWrapPos(0.0f);
  for (const std::string &c : p.proposal->changes) {
    ImGui::Bullet();
    ImGui::TextUnformatted(c.c_str());
  }
  ImGui::PopTextWrapPos();
  if (p.status != PlannerPanelState::Status::found && p.status != PlannerPanelState::Status::stale)
    return;
  ImGui::Separator();
  const float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  tower("before", "Before", p.before_errors, p.before, w);
  ImGui::SameLine();
  tower("after", "After", p.after_errors, p.after, w);
}

} // namespace fltsim::viewer::ui
