// Files: the menu bar (bundled scenarios, reload, save as), the path field and load errors.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "panels.hpp"

namespace fltsim::viewer::ui {

void draw_menu_bar(const ViewerState &state, UiBuffers &ui, ActionQueue &out) {
  if (!ImGui::BeginMenuBar())
    return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Reload", nullptr, false, !state.path().empty()))
      out.push_back(intent::Reload{});
    if (ImGui::MenuItem("Reload when the file changes", nullptr, state.auto_reload()))
      out.push_back(intent::SetAutoReload{!state.auto_reload()});
    if (ImGui::MenuItem("Save as...", nullptr, false, state.has_scenario()))
      ui.open_save_popup = true;
    if (ImGui::MenuItem("Revert edits", nullptr, false, state.modified()))
      out.push_back(intent::RevertEdits{});
    ImGui::Separator();
    if (ImGui::MenuItem("Quit"))
      ui.quit = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Scenarios")) {
    if (ui.bundled.empty())
      ImGui::TextDisabled("no bundled scenarios found");
    for (const BundledScenario &b : ui.bundled)
      if (ImGui::MenuItem(b.menu.c_str(), nullptr, b.path == state.path())) {
        ui.path_input = b.path;
        out.push_back(intent::OpenFile{b.path});
      }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    const struct {
      const char *label;
      SideTab tab;
    } tabs[] = {{"Drivers", SideTab::drivers},
                {"Findings", SideTab::findings},
                {"Trace", SideTab::trace},
                {"Planner", SideTab::planner},
                {"Diagnosis", SideTab::diagnosis}};
    for (const auto &t : tabs)
      if (ImGui::MenuItem(t.label)) {
        ui.requested_tab = t.tab;
        ui.tab_request_pending = true;
      }
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

void draw_file_bar(const ViewerState &state, UiBuffers &ui, ActionQueue &out) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Scenario");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.45f);
  const bool enter = ImGui::InputTextWithHint("##path", "path to a .yaml, .inf or .reg file",
                                              &ui.path_input, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Open") || enter) && !ui.path_input.empty())
    out.push_back(intent::OpenFile{ui.path_input});
  ImGui::SameLine();
  if (state.has_scenario()) {
    ImGui::Text("%s%s", state.scenario().title.c_str(), state.modified() ? "  (edited)" : "");
    ImGui::SameLine();
    ImGui::TextDisabled("%s", state.status().c_str());
  } else {
    ImGui::TextDisabled("%s", state.status().c_str());
  }
  if (!state.load_errors().empty()) {
    ImGui::PushTextWrapPos(0.0f);
    for (const sim::Diagnostic &d : state.load_errors())
      ImGui::TextColored(im_color4(Role::error_text), "%s", sim::format_diagnostic(d).c_str());
    ImGui::PopTextWrapPos();
  }
}

void draw_save_popup(const ViewerState &state, UiBuffers &ui, ActionQueue &out) {
  if (ui.open_save_popup) {
    ImGui::OpenPopup("Save scenario as");
    ui.open_save_popup = false;
  }
  if (!ImGui::BeginPopupModal("Save scenario as", nullptr, ImGuiWindowFlags_AlwaysAutoResize))
    return;
  ImGui::TextUnformatted("Writes the open scenario, with edits and applied fixes, as YAML.");
  ImGui::TextDisabled("The file that is open (%s) is never overwritten.", state.path().c_str());
  ImGui::SetNextItemWidth(480);
  ImGui::InputText("##save_as", &ui.save_path_input);
  if (ImGui::Button("Save") && !ui.save_path_input.empty()) {
    out.push_back(intent::SaveScenarioAs{ui.save_path_input});
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel"))
    ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

} // namespace fltsim::viewer::ui
