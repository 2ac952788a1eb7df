// The Diagnosis tab: `fltsim diagnose`'s report of the machine on screen (docs/diagnose.md), the
// same document the CLI renders as text, Markdown and HTML (diagnose::build_document).
#include <string>

#include "panels.hpp"

namespace fltsim::viewer::ui {

namespace {

void draw_block(const diagnose::Block &b, int id) {
  switch (b.kind) {
  case diagnose::Block::Kind::paragraph:
    ImGui::TextWrapped("%s", b.text.c_str());
    break;
  case diagnose::Block::Kind::list:
    for (const std::string &i : b.items) {
      ImGui::Bullet();
      ImGui::TextWrapped("%s", i.c_str());
    }
    break;
  case diagnose::Block::Kind::ordered:
    for (std::size_t k = 0; k < b.items.size(); ++k)
      ImGui::TextWrapped("%zu. %s", k + 1, b.items[k].c_str());
    break;
  case diagnose::Block::Kind::table: {
    const int cols = static_cast<int>(b.table.header.size());
    if (cols == 0)
      break;
    ImGui::PushID(id);
    if (ImGui::BeginTable("table", cols,
                          ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                              ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX,
                          ImVec2(0, ImGui::GetTextLineHeightWithSpacing() *
                                        static_cast<float>(b.table.rows.size() + 2)))) {
      for (const std::string &h : b.table.header)
        ImGui::TableSetupColumn(h.c_str());
      ImGui::TableHeadersRow();
      for (const auto &row : b.table.rows) {
        ImGui::TableNextRow();
        for (int c = 0; c < cols && c < static_cast<int>(row.size()); ++c) {
          ImGui::TableSetColumnIndex(c);
          ImGui::TextUnformatted(row[static_cast<std::size_t>(c)].c_str());
        }
      }
      ImGui::EndTable();
    }
    ImGui::PopID();
    break;
  }
  }
}

} // namespace

void draw_diagnosis_panel(const ViewerState &state) {
  const auto &report = state.report();
  if (!report) {
    ImGui::TextWrapped("No diagnosis: it is made for a machine's evidence. Open a capture, a .reg "
                       "export, a SYSTEM hive or a bundle folder (fltsim-view INPUT) to see "
                       "fltsim diagnose's report here.");
    return;
  }
  ImGui::TextWrapped("%s", report->summary.c_str());
  int id = 0;
  for (const diagnose::Section &s : report->sections) {
    if (!ImGui::CollapsingHeader(s.title.c_str(), ImGuiTreeNodeFlags_DefaultOpen))
      continue;
    for (const diagnose::Block &b : s.blocks)
      draw_block(b, id++);
  }
}

} // namespace fltsim::viewer::ui
