// Stack view: the tower of frames and legacy blocks, the altitude axis and the inversion
// connectors, drawn from the model's StackView.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "panels.hpp"

namespace fltsim::viewer::ui {

ImU32 im_color(Role role, int alpha) {
  const Color c = color_of(role);
  return IM_COL32(c.r, c.g, c.b, alpha);
}

ImVec4 im_color4(Role role) {
  const Color c = color_of(role);
  return {c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, c.a / 255.0f};
}

namespace {

ImVec2 at(ImVec2 o, float x, float y) {
  return {o.x + x, o.y + y};
}
ImVec2 at(ImVec2 o, Vec2 p) {
  return {o.x + p.x, o.y + p.y};
}

bool visible(const Rect &r, ImVec2 o, const Rect &clip) {
  return r.translated({o.x, o.y}).overlaps(clip);
}

void text_right(ImDrawList *dl, ImVec2 right_center, ImU32 col, const std::string &s) {
  const ImVec2 sz = ImGui::CalcTextSize(s.c_str());
  dl->AddText({right_center.x - sz.x, right_center.y - sz.y / 2}, col, s.c_str());
}

void text_left(ImDrawList *dl, ImVec2 left_center, ImU32 col, const std::string &s) {
  const ImVec2 sz = ImGui::CalcTextSize(s.c_str());
  dl->AddText({left_center.x, left_center.y - sz.y / 2}, col, s.c_str());
}

void draw_axis(ImDrawList *dl, const Axis &ax, ImVec2 o, const Rect &clip) {
  // Only what is inside the visible part of the canvas: a software rasteriser pays for every
  // vertex, even those the scissor test throws away.
  auto shown = [&](float y0, float y1) { return o.y + y1 >= clip.y && o.y + y0 <= clip.bottom(); };
  for (const AxisGroupBand &g : ax.groups)
    if (shown(g.y_top, g.y_bottom))
      dl->AddRectFilled(at(o, ax.area.x, g.y_top), at(o, ax.line_x, g.y_bottom),
                        im_color(Role::group_band));
  for (const AxisTick &t : ax.ticks) {
    if (!shown(t.y - 10, t.y + 10))
      continue;
    dl->AddLine(at(o, ax.line_x - 5, t.y), at(o, ax.line_x, t.y), im_color(Role::axis));
    text_right(dl, at(o, ax.line_x - 8, t.y), im_color(Role::text_dim), t.label);
  }
  dl->AddLine(at(o, ax.line_x, ax.y_top), at(o, ax.line_x, ax.y_bottom), im_color(Role::axis),
              1.5f);
  for (const AxisFrameBand &f : ax.frames)
    dl->AddRectFilled(at(o, ax.bar_x0, f.y_top),
                      at(o, ax.bar_x1, std::max(f.y_bottom, f.y_top + 1)), im_color(f.role));
  for (const AxisMarker &m : ax.markers) {
    if (!shown(std::min(m.y, m.target.y), std::max(m.y, m.target.y)))
      continue;
    const Role role = m.inverted ? Role::connector : (m.legacy ? Role::legacy : Role::minifilter);
    if (m.leader)
      dl->AddLine(at(o, ax.bar_x1, m.y), at(o, m.target), im_color(role, m.inverted ? 200 : 90),
                  m.inverted ? 1.5f : 1.0f);
    dl->AddLine(at(o, ax.line_x - 3, m.y), at(o, ax.bar_x1 + 2, m.y), im_color(role), 2.0f);
  }
}

/// Fills a frame box except where its filter rows will be drawn. With software rendering every
/// pixel filled twice costs time, and the rows cover most of a large frame; what shows of the
/// frame is its header, its margins and the gaps between rows.
void fill_frame_around_rows(ImDrawList *dl, const FrameBox &f, ImVec2 o, const Rect &clip) {
  const ImU32 col = im_color(f.role);
  const Rect &r = f.rect;
  if (f.filters.empty()) {
    dl->AddRectFilled(at(o, r.x, r.y), at(o, r.right(), r.bottom()), col);
    return;
  }
  // Rows share x and width and are stacked bottom (first) to top (last).
  const Rect &top = f.filters.back().rect;
  const Rect &bottom = f.filters.front().rect;
  const float x0 = top.x;
  const float x1 = top.right();
  const float y0 = top.y;
  const float y1 = bottom.bottom();
  auto fill = [&](float ax, float ay, float bx, float by) {
    if (bx > ax && by > ay && visible(Rect{ax, ay, bx - ax, by - ay}, o, clip))
      dl->AddRectFilled(at(o, ax, ay), at(o, bx, by), col);
  };
  fill(r.x, r.y, r.right(), y0);                         // header and top padding
  fill(r.x, y1, r.right(), r.bottom());                  // bottom padding
  fill(r.x, y0, x0, y1);                                 // left margin
  fill(x1, y0, r.right(), y1);                           // right margin
  for (std::size_t i = 0; i + 1 < f.filters.size(); ++i) // gaps between rows
    fill(x0, f.filters[i + 1].rect.bottom(), x1, f.filters[i].rect.y);
}

} // namespace

Hit draw_stack_view(ImDrawList *dl, const StackView &v, ImVec2 o, const Rect &clip, bool hover) {
  const ImU32 text = im_color(Role::text);
  const ImU32 dim = im_color(Role::text_dim);
  if (v.axis.enabled)
    draw_axis(dl, v.axis, o, clip);

  // File system at the bottom.
  const Rect &fs = v.file_system;
  dl->AddRectFilled(at(o, fs.x, fs.y), at(o, fs.right(), fs.bottom()), im_color(Role::file_system));
  text_left(dl, at(o, fs.x + 12, fs.center().y), text, "File system (NTFS, ...)");

  Hit hit;
  ImVec2 mouse = ImGui::GetIO().MousePos;
  if (hover) {
    hit = hit_test(v, {mouse.x - o.x, mouse.y - o.y});
  }

  for (const FrameBox &f : v.frames) {
    if (!visible(f.rect, o, clip))
      continue;
    const ImVec2 a = at(o, f.rect.x, f.rect.y);
    const ImVec2 b = at(o, f.rect.right(), f.rect.bottom());
    fill_frame_around_rows(dl, f, o, clip);
    text_left(dl, at(o, f.header.x + 8, f.header.center().y), text, f.label);
    if (!f.badge.empty()) {
      const float w = ImGui::CalcTextSize(f.label.c_str()).x;
      text_left(dl, at(o, f.header.x + 16 + w, f.header.center().y),
                im_color(Role::highlight_outline), f.badge);
    }
    if (f.filters.empty())
      text_left(dl, at(o, f.rect.x + 20, f.header.bottom() + 9), dim, "(no minifilters yet)");
    for (const FilterBox &r : f.filters) {
      if (!visible(r.rect, o, clip))
        continue;
      const ImVec2 ra = at(o, r.rect.x, r.rect.y);
      const ImVec2 rb = at(o, r.rect.right(), r.rect.bottom());
      dl->AddRectFilled(ra, rb, im_color(r.role)); // square: no anti-aliased fringe to raster
      text_left(dl, at(o, r.rect.x + 8, r.rect.center().y), text, r.name);
      text_right(dl, at(o, r.rect.right() - 8, r.rect.center().y), text, r.altitude);
      if (r.selected)
        dl->AddRect(ra, rb, im_color(Role::selection_outline), 0.0f, 0, 2.0f);
    }
    if (f.highlighted)
      dl->AddRect(a, b, im_color(Role::highlight_outline), 0.0f, 0, 3.0f);
  }

  for (const LegacyBlock &l : v.legacy) {
    if (!visible(l.rect, o, clip))
      continue;
    const ImVec2 a = at(o, l.rect.x, l.rect.y);
    const ImVec2 b = at(o, l.rect.right(), l.rect.bottom());
    dl->AddRectFilled(a, b, im_color(l.role));
    text_left(dl, at(o, l.rect.x + 14, l.rect.center().y), text, l.name);
    // Right-hand text: as much as fits next to the name.
    const float room = l.rect.w - 14 - 10 - 12 - ImGui::CalcTextSize(l.name.c_str()).x;
    const std::string alt = l.altitude.empty() ? "no altitude" : l.altitude;
    const std::string full = l.altitude.empty() ? "legacy, no altitude" : "legacy  " + alt;
    const std::string &right = ImGui::CalcTextSize(full.c_str()).x <= room ? full : alt;
    if (ImGui::CalcTextSize(right.c_str()).x <= room)
      text_right(dl, at(o, l.rect.right() - 10, l.rect.center().y), text, right);
    if (l.inverted)
      dl->AddRect(a, b, im_color(Role::connector), 0.0f, 0, 2.0f);
    if (l.highlighted)
      dl->AddRect(a, b, im_color(Role::highlight_outline), 0.0f, 0, 3.0f);
    if (l.selected)
      dl->AddRect(a, b, im_color(Role::selection_outline), 0.0f, 0, 2.0f);
  }

  for (std::size_t i = 0; i < v.connectors.size(); ++i) {
    const Connector &c = v.connectors[i];
    if (c.points.size() < 2 || o.y + c.points.front().y < clip.y ||
        o.y + c.points.back().y > clip.bottom())
      continue; // entirely above or entirely below the visible part
    ImVec2 pts[8];
    const int n = static_cast<int>(std::min<std::size_t>(c.points.size(), 8));
    for (int k = 0; k < n; ++k)
      pts[k] = at(o, c.points[static_cast<std::size_t>(k)]);
    const bool hot = hit.kind == Hit::Kind::connector && hit.index == i;
    dl->AddPolyline(pts, n, im_color(Role::connector), 0, hot ? 4.0f : 2.0f);
    dl->AddCircleFilled(pts[0], 3.5f, im_color(Role::connector));
    dl->AddCircleFilled(pts[n - 1], 3.5f, im_color(Role::connector));
  }

  if (hover && hit.kind != Hit::Kind::none) {
    const std::string tip = tooltip_of(v, hit);
    if (!tip.empty()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
      if (hit.kind == Hit::Kind::connector)
        ImGui::TextColored(im_color4(Role::error_text), "Altitude inversion");
      ImGui::TextUnformatted(tip.c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
  }
  return hit;
}

void draw_stack_panel(const ViewerState &state, ActionQueue &out, CanvasInfo &canvas) {
  canvas.drawn = false;
  if (!state.has_scenario()) {
    ImGui::TextDisabled("Open a scenario (File > Open, or the Scenarios menu).");
    return;
  }
  const Timeline &tl = state.timeline();
  const StackView &v = state.stack_view();
  if (tl.at_end())
    ImGui::Text("Final stack: %zu frame%s, %zu legacy filter%s, %zu minifilter%s", v.frames.size(),
                v.frames.size() == 1 ? "" : "s", v.legacy.size(), v.legacy.size() == 1 ? "" : "s",
                v.filter_count, v.filter_count == 1 ? "" : "s");
  else
    ImGui::Text("Stack as of step %d of %d", tl.position(), tl.step_count());
  if (!v.connectors.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(im_color4(Role::error_text), "  %zu inversion%s (red)",
                       v.connectors.size() + v.connectors_omitted,
                       v.connectors.size() + v.connectors_omitted == 1 ? "" : "s");
  }

  // Volume selector (docs/model.md#volume-policies): one volume's stack, or the whole stack.
  const std::vector<VolumeChoice> volumes = volume_choices(state.scenario());
  if (!volumes.empty()) {
    const auto &sel = state.selected_volume();
    std::string current = "all volumes";
    for (const VolumeChoice &c : volumes)
      if (sel && *sel == c.volume)
        current = c.label;
    ImGui::SetNextItemWidth(220);
    if (ImGui::BeginCombo("Volume", current.c_str())) {
      if (ImGui::Selectable("all volumes", !sel))
        out.push_back(intent::SelectVolume{std::nullopt});
      for (const VolumeChoice &c : volumes)
        if (ImGui::Selectable(c.label.c_str(), sel && *sel == c.volume))
          out.push_back(intent::SelectVolume{c.volume});
      ImGui::EndCombo();
    }
  }

  ImGui::BeginChild("stack_canvas", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  ImDrawList *dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 wpos = ImGui::GetWindowPos();
  const ImVec2 wsize = ImGui::GetWindowSize();
  const Rect clip{wpos.x, wpos.y, wsize.x, wsize.y};
  // The axis stretches to the panel's height (one frame later, through the state); the tower
  // stays at the bottom, on the file system.
  const float avail_h = ImGui::GetContentRegionAvail().y;
  if (std::abs(avail_h - 1 - (state.layout().min_axis_height + 2 * state.layout().margin)) >= 1.0f)
    out.push_back(intent::SetStackHeight{avail_h - 1});
  const float spare = std::max(0.0f, avail_h - v.size.y);
  const ImVec2 o{origin.x, origin.y + spare};
  ImGui::Dummy(ImVec2(v.size.x, v.size.y + spare));
  const bool hover = ImGui::IsWindowHovered();
  const Hit hit = draw_stack_view(dl, v, o, clip, hover);
  if (hover && ImGui::IsMouseClicked(ImGuiMouseButton_Left) && hit.driver >= 0 &&
      (hit.kind == Hit::Kind::filter || hit.kind == Hit::Kind::legacy))
    out.push_back(intent::SelectDriver{hit.driver});
  canvas.drawn = true;
  canvas.origin = {o.x, o.y};
  canvas.clip = clip;
  ImGui::EndChild();
}

} // namespace fltsim::viewer::ui
