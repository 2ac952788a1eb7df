// Drivers table: name, kind, group, start, tag, altitude, frame, edited in place; and the
// findings list.
#include <cstdio>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "fltsim/sim/groups.hpp"
#include "panels.hpp"

namespace fltsim::viewer::ui {

namespace {

const char *const kKinds[] = {"minifilter", "legacy", "both"};
const char *const kStarts[] = {"boot", "system", "auto", "demand", "disabled"};

void combo(const char *id, const std::string &current, const char *const *items, int count,
           int driver, DriverField field, ActionQueue &out) {
  ImGui::SetNextItemWidth(-FLT_MIN);
  if (ImGui::BeginCombo(id, current.c_str())) {
    for (int i = 0; i < count; ++i)
      if (ImGui::Selectable(items[i], current == items[i]) && current != items[i])
        out.push_back(intent::EditDriver{driver, field, items[i]});
    ImGui::EndCombo();
  }
}

void group_combo(const std::string &current, int driver, ActionQueue &out) {
  ImGui::SetNextItemWidth(-FLT_MIN);
  if (ImGui::BeginCombo("##group", current.empty() ? "(none)" : current.c_str())) {
    if (ImGui::Selectable("(none)", current.empty()) && !current.empty())
      out.push_back(intent::EditDriver{driver, DriverField::group, ""});
    for (const sim::GroupInfo &g : sim::documented_groups()) {
      const std::string name(g.name);
      char label[96];
      std::snprintf(label, sizeof label, "%s  (%s)", name.c_str(),
                    g.legacy_altitude.empty() ? "no legacy altitude"
                                              : std::string(g.legacy_altitude).c_str());
      if (ImGui::Selectable(label, sim::iequals(name, current)) && !sim::iequals(name, current))
        out.push_back(intent::EditDriver{driver, DriverField::group, name});
    }
    ImGui::EndCombo();
  }
}

/// A text cell that is validated live; an invalid entry keeps the typed text and shows the error.
void text_cell(const char *id, const ViewerState &state, const std::string &value, int driver,
               DriverField field, bool live, ActionQueue &out) {
  const EditError *err = state.edit_error(driver, field);
  std::string buf = err ? err->text : value;
  ImGui::SetNextItemWidth(-FLT_MIN);
  if (err)
    ImGui::PushStyleColor(ImGuiCol_FrameBg, im_color4(Role::minifilter_inverted));
  const bool changed = ImGui::InputText(id, &buf);
  if (err)
    ImGui::PopStyleColor();
  if ((live && changed) || (!live && ImGui::IsItemDeactivatedAfterEdit()))
    out.push_back(intent::EditDriver{driver, field, buf});
  if (err) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(im_color4(Role::error_text), "%s", err->message.c_str());
    ImGui::PopTextWrapPos();
  }
}

void driver_row(const ViewerState &state, const DriverRow &r, ActionQueue &out) {
  ImGui::TableNextRow();
  ImGui::PushID(r.driver);
  ImGui::TableNextColumn();
  const bool selected = state.selected_driver() == r.driver;
  if (r.inverted)
    ImGui::PushStyleColor(ImGuiCol_Text, im_color4(Role::error_text));
  if (ImGui::Selectable(r.name.c_str(), selected))
    out.push_back(intent::SelectDriver{r.driver});
  if (r.inverted)
    ImGui::PopStyleColor();
  if (ImGui::IsItemHovered() && r.inverted)
    ImGui::SetTooltip("Takes part in an altitude inversion (see Findings)");
  ImGui::TableNextColumn();
  combo("##kind", r.kind, kKinds, 3, r.driver, DriverField::kind, out);
  ImGui::TableNextColumn();
  group_combo(r.group, r.driver, out);
  ImGui::TableNextColumn();
  combo("##start", r.start, kStarts, 5, r.driver, DriverField::start, out);
  ImGui::TableNextColumn();
  text_cell("##tag", state, r.tag, r.driver, DriverField::tag, false, out);
  ImGui::TableNextColumn();
  if (r.altitude_editable) {
    text_cell("##alt", state, r.altitude, r.driver, DriverField::altitude, true, out);
  } else {
    ImGui::TextDisabled("%s", r.altitude.empty() ? "(none)" : r.altitude.c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("A legacy filter's altitude comes from its load order group "
                        "(docs/model.md#legacy-altitudes).");
    if (const EditError *err = state.edit_error(r.driver, DriverField::altitude))
      ImGui::TextColored(im_color4(Role::error_text), "%s", err->message.c_str());
  }
  ImGui::TableNextColumn();
  if (r.frame.empty())
    ImGui::TextDisabled(r.loaded ? "-" : "not loaded");
  else
    ImGui::TextUnformatted(r.frame.c_str());
  ImGui::PopID();
}

} // namespace

void draw_drivers_panel(const ViewerState &state, ActionQueue &out) {
  if (!state.has_scenario())
    return;
  ImGui::TextDisabled("Edit kind, group, start, tag or altitude: the stack re-simulates live.");
  if (state.modified()) {
    ImGui::SameLine();
    if (ImGui::SmallButton("Revert edits"))
      out.push_back(intent::RevertEdits{});
  }
  // Grid lines instead of striped rows, and cell editors without a filled frame until hovered:
  // with software rendering the fill of every pixel costs time, and striped rows plus framed
  // editors painted the table area almost twice (docs/viewer.md, "Frame time").
  const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable |
                                ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("drivers", 7, flags))
    return;
  ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(0, 0, 0, 0));
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch, 1.3f);
  ImGui::TableSetupColumn("Kind", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn("Group", ImGuiTableColumnFlags_WidthStretch, 1.9f);
  ImGui::TableSetupColumn("Start", ImGuiTableColumnFlags_WidthStretch, 0.8f);
  ImGui::TableSetupColumn("Tag", ImGuiTableColumnFlags_WidthStretch, 0.5f);
  ImGui::TableSetupColumn("Altitude", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn("Frame", ImGuiTableColumnFlags_WidthStretch, 0.6f);
  ImGui::TableHeadersRow();
  const auto &rows = state.driver_rows();
  if (state.edit_error_count() == 0) {
    // Every row has the same height: only the visible ones are submitted.
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    while (clipper.Step())
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
        driver_row(state, rows[static_cast<std::size_t>(i)], out);
  } else {
    // Error lines make rows taller; submit all of them.
    for (const DriverRow &r : rows)
      driver_row(state, r, out);
  }
  ImGui::PopStyleColor();
  ImGui::EndTable();
}

void draw_findings_panel(const ViewerState &state, ActionQueue &out) {
  if (!state.has_scenario())
    return;
  const sim::SimResult &r = state.final_result();
  if (!r.input_errors.empty()) {
    ImGui::TextColored(im_color4(Role::error_text), "Input errors:");
    for (const sim::Diagnostic &d : r.input_errors)
      ImGui::BulletText("%s", sim::format_diagnostic(d).c_str());
    ImGui::Separator();
  }
  if (r.findings.empty()) {
    ImGui::TextDisabled("No findings on the final stack.");
    return;
  }
  ImGui::BeginChild("findings_list");
  for (std::size_t i = 0; i < r.findings.size(); ++i) {
    const sim::Finding &f = r.findings[i];
    ImGui::PushID(static_cast<int>(i));
    const Role role = f.severity == sim::Severity::error     ? Role::error_text
                      : f.severity == sim::Severity::warning ? Role::legacy_highlight
                                                             : Role::text_dim;
    ImGui::TextColored(im_color4(role), "%s[%s]", sim::to_string(f.severity), f.code.c_str());
    if (!f.drivers.empty()) {
      ImGui::SameLine();
      if (ImGui::SmallButton("select")) {
        const int d = state.scenario().find_driver(f.drivers.front());
        if (d >= 0)
          out.push_back(intent::SelectDriver{d});
      }
    }
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(f.message.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Separator();
    ImGui::PopID();
  }
  ImGui::EndChild();
}

} // namespace fltsim::viewer::ui
