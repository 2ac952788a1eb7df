// Timeline: step/play controls, a scrubber with the trace's marks, and the narration of the step.
#include <algorithm>
#include <cmath>

#include "panels.hpp"

namespace fltsim::viewer::ui {

namespace {

Role mark_role(TimelineMark::Kind k) {
  switch (k) {
  case TimelineMark::Kind::phase:
    return Role::text;
  case TimelineMark::Kind::frame_change:
    return Role::frame_band_odd;
  case TimelineMark::Kind::registration:
    return Role::minifilter_new;
  case TimelineMark::Kind::legacy:
    return Role::legacy_highlight;
  case TimelineMark::Kind::failure:
    return Role::connector;
  case TimelineMark::Kind::event:
  case TimelineMark::Kind::other:
    return Role::text_dim;
  }
  return Role::text_dim;
}

void scrubber(const Timeline &tl, ActionQueue &out) {
  const float width = ImGui::GetContentRegionAvail().x;
  const float height = 46;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("scrubber", ImVec2(width, height));
  ImDrawList *dl = ImGui::GetWindowDrawList();
  const float pad = 10;
  const float x0 = p0.x + pad;
  const float x1 = p0.x + width - pad;
  const float bar_y = p0.y + 26;
  const int n = tl.step_count();
  auto x_of = [&](int position) {
    return n > 0 ? x0 + (x1 - x0) * static_cast<float>(position) / static_cast<float>(n) : x0;
  };
  dl->AddRectFilled({x0, bar_y - 3}, {x1, bar_y + 3}, im_color(Role::group_band), 3.0f);
  dl->AddRectFilled({x0, bar_y - 3}, {x_of(tl.position()), bar_y + 3}, im_color(Role::frame), 3.0f);
  // Marks: phases get a label above the bar; frame changes a tall tick.
  float last_label_end = -1e9f;
  float last_short_x = -1e9f;
  for (const TimelineMark &m : tl.marks()) {
    const float x = x_of(m.step);
    const bool tall =
        m.kind == TimelineMark::Kind::phase || m.kind == TimelineMark::Kind::frame_change;
    if (!tall) {
      // Long traces put many ticks on one pixel; one is enough.
      if (x - last_short_x < 2.0f)
        continue;
      last_short_x = x;
    }
    dl->AddLine({x, bar_y - (tall ? 12.0f : 7.0f)}, {x, bar_y + (tall ? 12.0f : 7.0f)},
                im_color(mark_role(m.kind)), tall ? 2.0f : 1.0f);
    if (!tall)
      continue;
    // Labels that would overlap the previous one are left out (the tooltip still has them).
    const ImVec2 sz = ImGui::CalcTextSize(m.label.c_str());
    const float left = std::clamp(x - sz.x / 2, x0, std::max(x0, x1 - sz.x));
    if (left > last_label_end + 6) {
      dl->AddText({left, p0.y}, im_color(mark_role(m.kind)), m.label.c_str());
      last_label_end = left + sz.x;
    }
  }
  const float tx = x_of(tl.position());
  dl->AddCircleFilled({tx, bar_y}, 7.0f, im_color(Role::highlight_outline));
  if (ImGui::IsItemActive() && n > 0) {
    const float t = std::clamp((ImGui::GetIO().MousePos.x - x0) / (x1 - x0), 0.0f, 1.0f);
    const int pos = static_cast<int>(std::lround(t * static_cast<float>(n)));
    if (pos != tl.position())
      out.push_back(intent::Seek{pos});
  }
  if (ImGui::IsItemHovered() && n > 0) {
    const float t = std::clamp((ImGui::GetIO().MousePos.x - x0) / (x1 - x0), 0.0f, 1.0f);
    const int pos = static_cast<int>(std::lround(t * static_cast<float>(n)));
    if (pos > 0) {
      const sim::TraceStep &s = tl.steps()[static_cast<std::size_t>(pos - 1)];
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
      ImGui::Text("Step %d: %s", s.step, sim::to_string(s.kind));
      ImGui::TextUnformatted(s.text.c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
  }
}

} // namespace

void draw_timeline_panel(const ViewerState &state, ActionQueue &out) {
  if (!state.has_scenario())
    return;
  const Timeline &tl = state.timeline();
  if (ImGui::Button("|<"))
    out.push_back(intent::Seek{0});
  ImGui::SameLine();
  if (ImGui::Button("<<"))
    out.push_back(intent::PreviousMark{});
  ImGui::SameLine();
  if (ImGui::ArrowButton("back", ImGuiDir_Left))
    out.push_back(intent::StepBack{});
  ImGui::SameLine();
  if (tl.playing() ? ImGui::Button("Pause", ImVec2(60, 0)) : ImGui::Button("Play", ImVec2(60, 0)))
    out.push_back(tl.playing() ? Intent{intent::Pause{}} : Intent{intent::Play{}});
  ImGui::SameLine();
  if (ImGui::ArrowButton("forward", ImGuiDir_Right))
    out.push_back(intent::StepForward{});
  ImGui::SameLine();
  if (ImGui::Button(">>"))
    out.push_back(intent::NextMark{});
  ImGui::SameLine();
  if (ImGui::Button(">|"))
    out.push_back(intent::Seek{tl.step_count()});
  ImGui::SameLine();
  float speed = tl.speed();
  ImGui::SetNextItemWidth(140);
  if (ImGui::SliderFloat("steps/s", &speed, 0.25f, 20.0f, "%.2f", ImGuiSliderFlags_Logarithmic))
    out.push_back(intent::SetSpeed{speed});
  ImGui::SameLine();
  ImGui::Text("   Step %d / %d", tl.position(), tl.step_count());
  ImGui::SameLine();
  ImGui::TextDisabled("(<< >> jump between phases and frame changes)");

  scrubber(tl, out);

  const sim::TraceStep *s = tl.current();
  ImGui::PushTextWrapPos(0.0f);
  if (!s) {
    ImGui::TextDisabled("Before boot: nothing is on the stack yet. Press Play or step forward.");
  } else {
    ImGui::TextColored(im_color4(Role::highlight_outline), "Step %d", s->step);
    ImGui::SameLine();
    ImGui::TextUnformatted(s->text.c_str());
  }
  ImGui::PopTextWrapPos();
}

void draw_trace_panel(const ViewerState &state, ActionQueue &out) {
  if (!state.has_scenario())
    return;
  const Timeline &tl = state.timeline();
  ImGui::BeginChild("trace_list");
  ImGuiListClipper clipper;
  clipper.Begin(tl.step_count());
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const sim::TraceStep &s = tl.steps()[static_cast<std::size_t>(i)];
      ImGui::PushID(i);
      const bool current = s.step == tl.position();
      char label[32];
      std::snprintf(label, sizeof label, "%3d", s.step);
      if (ImGui::Selectable(label, current,
                            ImGuiSelectableFlags_SpanAllColumns |
                                ImGuiSelectableFlags_AllowItemOverlap))
        out.push_back(intent::Seek{s.step});
      ImGui::SameLine(44);
      ImGui::TextUnformatted(s.text.c_str());
      ImGui::PopID();
    }
  }
  ImGui::EndChild();
}

} // namespace fltsim::viewer::ui
