#include "fltsim/viewer/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "fltsim/io/text.hpp"

namespace fltsim::viewer {

std::string svg_escape(const std::string &s) {
  return io::xml_escape(s, io::XmlStyle::html);
}

namespace {

std::string svg_number(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(v));
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0)
    s.resize(s.size() - 2);
  if (s == "-0")
    s = "0";
  return s;
}

std::string hex(Role role) {
  const Color c = color_of(role);
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
  return buf;
}

/// Rough width of `s` in the 12 px sans-serif labels: enough to decide what fits.
float text_width(const std::string &s) {
  std::size_t chars = 0;
  for (char c : s)
    chars += (static_cast<unsigned char>(c) & 0xC0u) != 0x80u;
  return static_cast<float>(chars) * 7.0f;
}

struct Writer {
  std::string out;
  Vec2 o; ///< where the view's (0, 0) goes

  std::string x(float v) const { return svg_number(v + o.x); }
  std::string y(float v) const { return svg_number(v + o.y); }

  void rect(const Rect &r, Role fill, const std::string &extra = {}) {
    out += "<rect x=\"" + x(r.x) + "\" y=\"" + y(r.y) + "\" width=\"" + svg_number(r.w) +
           "\" height=\"" + svg_number(r.h) + "\" fill=\"" + hex(fill) + "\"" + extra + "/>";
  }
  /// An outline inside `r`, `width` wide, so the box's probe strip stays its fill colour.
  void outline(const Rect &r, Role stroke, float width) {
    const float h = width / 2;
    out += "<rect x=\"" + x(r.x + h) + "\" y=\"" + y(r.y + h) + "\" width=\"" +
           svg_number(std::max(0.0f, r.w - width)) + "\" height=\"" +
           svg_number(std::max(0.0f, r.h - width)) + "\" fill=\"none\" stroke=\"" + hex(stroke) +
           "\" stroke-width=\"" + svg_number(width) + "\"/>";
  }
  void line(Vec2 a, Vec2 b, Role stroke, float width, const std::string &extra = {}) {
    out += "<line x1=\"" + x(a.x) + "\" y1=\"" + y(a.y) + "\" x2=\"" + x(b.x) + "\" y2=\"" +
           y(b.y) + "\" stroke=\"" + hex(stroke) + "\" stroke-width=\"" + svg_number(width) + "\"" +
           extra + "/>";
  }
  /// Text vertically centred on `p.y`; anchor "start" or "end".
  void text(Vec2 p, Role fill, const std::string &s, const char *anchor = "start",
            const std::string &extra = {}) {
    out += "<text x=\"" + x(p.x) + "\" y=\"" + y(p.y) + "\" dominant-baseline=\"central\" fill=\"" +
           hex(fill) + "\"";
    if (std::string(anchor) != "start")
      out += std::string(" text-anchor=\"") + anchor + "\"";
    out += extra + ">" + svg_escape(s) + "</text>";
  }
  void title(const std::string &s) {
    if (!s.empty())
      out += "<title>" + svg_escape(s) + "</title>";
  }
  std::string data_rect(const Rect &r) const {
    return " data-x=\"" + svg_number(r.x) + "\" data-y=\"" + svg_number(r.y) + "\" data-w=\"" +
           svg_number(r.w) + "\" data-h=\"" + svg_number(r.h) + "\"";
  }
  /// Opens the group of one driver's box (a minifilter in a frame or a legacy block): classes
  /// (`kind` and the flags given), driver index, role and rectangle as data, its tooltip, its
  /// filled rectangle. The caller closes it with "</g>".
  void open_driver_box(const std::string &classes, int driver, Role role, const Rect &r,
                       const std::string &tooltip) {
    out += "<g class=\"" + classes + "\" data-driver=\"" + std::to_string(driver) +
           "\" data-role=\"" + to_string(role) + "\"" + data_rect(r) + ">";
    title(tooltip);
    rect(r, role);
  }
};

void draw_axis(Writer &w, const Axis &ax) {
  w.out += "<g class=\"axis\">";
  for (const AxisGroupBand &g : ax.groups) {
    w.out += "<g class=\"group-band\">";
    w.title(g.group);
    w.rect({ax.area.x, g.y_top, ax.line_x - ax.area.x, std::max(g.y_bottom - g.y_top, 1.0f)},
           Role::group_band);
    w.out += "</g>";
  }
  for (const AxisTick &t : ax.ticks) {
    w.line({ax.line_x - 5, t.y}, {ax.line_x, t.y}, Role::axis, 1);
    w.text({ax.line_x - 8, t.y}, Role::text_dim, t.label, "end");
  }
  w.line({ax.line_x, ax.y_top}, {ax.line_x, ax.y_bottom}, Role::axis, 1.5f);
  for (const AxisFrameBand &f : ax.frames) {
    w.out += "<g class=\"frame-band\" data-id=\"" + std::to_string(f.frame) + "\">";
    w.title("Frame " + std::to_string(f.frame) + " range");
    w.rect({ax.bar_x0, f.y_top, ax.bar_x1 - ax.bar_x0, std::max(f.y_bottom - f.y_top, 1.0f)},
           f.role);
    w.out += "</g>";
  }
  for (const AxisMarker &m : ax.markers) {
    const Role role = m.inverted ? Role::connector : (m.legacy ? Role::legacy : Role::minifilter);
    if (m.leader)
      w.line({ax.bar_x1, m.y}, m.target, role, m.inverted ? 1.5f : 1.0f,
             m.inverted ? " stroke-opacity=\"0.78\"" : " stroke-opacity=\"0.35\"");
    w.line({ax.line_x - 3, m.y}, {ax.bar_x1 + 2, m.y}, role, 2);
  }
  w.out += "</g>\n";
}

void draw_view(Writer &w, const StackView &v) {
  w.rect({0, 0, v.size.x, v.size.y}, Role::canvas, " class=\"canvas\"");
  w.out += "\n";
  if (v.axis.enabled)
    draw_axis(w, v.axis);

  const Rect &fs = v.file_system;
  w.out += "<g class=\"file-system\"" + w.data_rect(fs) + ">";
  w.title("The file system: the bottom of every volume's stack.");
  w.rect(fs, Role::file_system);
  w.text({fs.x + 12, fs.center().y}, Role::text, "File system (NTFS, ...)");
  w.out += "</g>\n";

  for (const FrameBox &f : v.frames) {
    w.out += "<g class=\"frame" + std::string(f.highlighted ? " highlighted" : "") +
             "\" data-id=\"" + std::to_string(f.id) + "\" data-role=\"" + to_string(f.role) + "\"" +
             w.data_rect(f.rect) + ">";
    w.title(f.tooltip);
    w.rect(f.rect, f.role);
    w.text({f.header.x + 8, f.header.center().y}, Role::text, f.label);
    if (!f.badge.empty())
      w.text({f.header.x + 16 + text_width(f.label), f.header.center().y}, Role::highlight_outline,
             f.badge, "start", " class=\"badge\"");
    if (f.filters.empty())
      w.text({f.rect.x + 20, f.header.bottom() + 9}, Role::text_dim, "(no minifilters yet)");
    for (const FilterBox &r : f.filters) {
      w.open_driver_box(std::string("filter") + (r.is_new ? " new" : "") +
                            (r.inverted ? " inverted" : ""),
                        r.driver, r.role, r.rect, r.tooltip);
      // Text starts right of the box's probe strip (layout_json.hpp: block_probe).
      w.text({r.rect.x + 11, r.rect.center().y}, Role::text, r.name);
      w.text({r.rect.right() - 8, r.rect.center().y}, Role::text, r.altitude, "end");
      if (r.selected)
        w.outline(r.rect, Role::selection_outline, 2);
      w.out += "</g>";
    }
    if (f.highlighted)
      w.outline(f.rect, Role::highlight_outline, 3);
    w.out += "</g>\n";
  }

  for (const LegacyBlock &l : v.legacy) {
    w.open_driver_box(std::string("legacy") + (l.highlighted ? " highlighted" : "") +
                          (l.inverted ? " inverted" : ""),
                      l.driver, l.role, l.rect, l.tooltip);
    w.text({l.rect.x + 14, l.rect.center().y}, Role::text, l.name);
    // Right-hand text: as much as fits next to the name (as the viewer does).
    const float room = l.rect.w - 14 - 10 - 12 - text_width(l.name);
    const std::string alt = l.altitude.empty() ? "no altitude" : l.altitude;
    const std::string full = l.altitude.empty() ? "legacy, no altitude" : "legacy  " + alt;
    const std::string &right = text_width(full) <= room ? full : alt;
    if (text_width(right) <= room)
      w.text({l.rect.right() - 10, l.rect.center().y}, Role::text, right, "end",
             " xml:space=\"preserve\"");
    if (l.inverted)
      w.outline(l.rect, Role::connector, 2);
    if (l.highlighted)
      w.outline(l.rect, Role::highlight_outline, 3);
    if (l.selected)
      w.outline(l.rect, Role::selection_outline, 2);
    w.out += "</g>\n";
  }

  for (const Connector &c : v.connectors) {
    if (c.points.size() < 2)
      continue;
    w.out += "<g class=\"connector\" data-code=\"" + svg_escape(c.code) + "\" data-lower=\"" +
             std::to_string(c.lower) + "\" data-upper=\"" + std::to_string(c.upper) + "\">";
    w.title(c.tooltip);
    w.out += "<polyline fill=\"none\" stroke=\"" + hex(Role::connector) +
             "\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"";
    for (std::size_t k = 0; k < c.points.size(); ++k)
      w.out += (k ? " " : "") + w.x(c.points[k].x) + "," + w.y(c.points[k].y);
    w.out += "\"/>";
    for (const Vec2 &p : {c.points.front(), c.points.back()})
      w.out += "<circle cx=\"" + w.x(p.x) + "\" cy=\"" + w.y(p.y) + "\" r=\"3.5\" fill=\"" +
               hex(Role::connector) + "\"/>";
    // A wide transparent stroke: the tooltip shows without pixel-exact aiming.
    w.out += "<polyline fill=\"none\" stroke=\"transparent\" stroke-width=\"8\" points=\"";
    for (std::size_t k = 0; k < c.points.size(); ++k)
      w.out += (k ? " " : "") + w.x(c.points[k].x) + "," + w.y(c.points[k].y);
    w.out += "\"/></g>\n";
  }
  if (v.connectors_omitted > 0)
    w.text({v.tower.x, 8}, Role::error_text,
           std::to_string(v.connectors_omitted) + " more inversions not drawn");
}

std::string open_svg(float width, float height, const SvgOptions &o) {
  const std::string wd = std::to_string(static_cast<long>(std::ceil(width)));
  const std::string ht = std::to_string(static_cast<long>(std::ceil(height)));
  std::string s;
  if (o.standalone)
    s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s +=
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + wd + "\" height=\"" + ht +
      "\" viewBox=\"0 0 " + wd + " " + ht +
      "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" font-size=\"12\" role=\"img\">\n";
  if (!o.title.empty())
    s += "<title>" + svg_escape(o.title) + "</title>\n";
  return s;
}

} // namespace

std::string stack_svg(const StackView &view, const SvgOptions &options) {
  Writer w;
  w.out = open_svg(view.size.x, view.size.y, options);
  draw_view(w, view);
  w.out += "</svg>\n";
  return w.out;
}

std::string panels_svg(const std::vector<SvgPanel> &panels, const SvgOptions &options) {
  float width = 0;
  float height = 0;
  for (const SvgPanel &p : panels) {
    width += p.view->size.x;
    height = std::max(height, p.view->size.y);
  }
  height += kSvgCaptionHeight;
  Writer w;
  w.out = open_svg(width, height, options);
  w.rect({0, 0, width, height}, Role::canvas);
  w.out += "\n";
  float x = 0;
  for (const SvgPanel &p : panels) {
    const float top = height - p.view->size.y; // bottoms aligned: file systems on one line
    w.o = {};
    w.out +=
        "<g class=\"panel\" data-x=\"" + svg_number(x) + "\" data-y=\"" + svg_number(top) + "\">";
    w.text({x + p.view->tower.x, top - kSvgCaptionHeight / 2}, Role::text, p.caption, "start",
           " font-size=\"14\" font-weight=\"bold\"");
    w.o = {x, top};
    draw_view(w, *p.view);
    w.out += "</g>\n";
    x += p.view->size.x;
  }
  w.out += "</svg>\n";
  return w.out;
}

std::vector<std::string> volumes_of(const sim::Scenario &scenario) {
  if (scenario.volumes.empty())
    return {"C:"};
  return scenario.volumes;
}

sim::SimResult volume_stack(const sim::SimResult &result, const std::string &volume) {
  sim::SimResult r = result;
  for (sim::Frame &f : r.frames)
    std::erase_if(f.filters, [&](const sim::FrameFilter &ff) {
      return std::none_of(ff.attached.begin(), ff.attached.end(), [&](const auto &a) {
        // The engine names a scenario's implicit volume ""; it is shown as C:.
        return a.volume == volume || (a.volume.empty() && volume == "C:");
      });
    });
  return r;
}

} // namespace fltsim::viewer
