#include "fltsim/viewer/layout_json.hpp"

#include <cstdio>

namespace fltsim::viewer {

Rect frame_probe(const FrameBox &f, const StackLayoutOptions &o) {
  // Left margin of the box, below the label, inside the (up to 3 px) outline.
  return {f.rect.x + 4, f.header.bottom() + 2, o.frame_inset - 7,
          f.rect.bottom() - f.header.bottom() - 6};
}

Rect block_probe(const Rect &b) {
  return {b.x + 4, b.y + 4, 5, b.h - 8};
}

namespace {

std::string escape(const std::string &s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
        out += buf;
      } else {
        out += c;
      }
    }
  }
  return out;
}

std::string json_number(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(v));
  return buf;
}

std::string rect(const Rect &r, Vec2 o) {
  return "[" + json_number(r.x + o.x) + ", " + json_number(r.y + o.y) + ", " + json_number(r.w) +
         ", " + json_number(r.h) + "]";
}

std::string color(Role role) {
  const Color c = color_of(role);
  return "[" + std::to_string(c.r) + ", " + std::to_string(c.g) + ", " + std::to_string(c.b) + "]";
}

} // namespace

std::string layout_json(const LayoutJsonInput &in) {
  const StackView &v = *in.view;
  const Vec2 o = in.origin;
  std::string j = "{\n";
  j += "  \"scenario\": \"" + escape(in.scenario) + "\",\n";
  j += "  \"image\": {\"width\": " + std::to_string(in.image_width) +
       ", \"height\": " + std::to_string(in.image_height) + "},\n";
  j += "  \"step\": " + std::to_string(in.step) + ",\n";
  j += "  \"step_count\": " + std::to_string(in.step_count) + ",\n";
  j += "  \"clip\": " + rect(in.clip, {}) + ",\n";
  j += "  \"canvas\": {\"fill\": " + color(Role::canvas) + "},\n";
  j += "  \"file_system\": {\"rect\": " + rect(v.file_system, o) +
       ", \"probe\": " + rect(block_probe(v.file_system), o) +
       ", \"fill\": " + color(Role::file_system) + "},\n";
  j += "  \"frames\": [";
  for (std::size_t i = 0; i < v.frames.size(); ++i) {
    const FrameBox &f = v.frames[i];
    j += std::string(i ? "," : "") + "\n    {\"id\": " + std::to_string(f.id) + ", \"label\": \"" +
         escape(f.label) + "\", \"role\": \"" + to_string(f.role) +
         "\", \"rect\": " + rect(f.rect, o) +
         ", \"probe\": " + rect(frame_probe(f, in.options), o) + ", \"fill\": " + color(f.role) +
         ", \"filters\": [";
    for (std::size_t k = 0; k < f.filters.size(); ++k) {
      const FilterBox &b = f.filters[k];
      j += std::string(k ? ", " : "") + "{\"name\": \"" + escape(b.name) + "\", \"altitude\": \"" +
           escape(b.altitude) + "\", \"role\": \"" + to_string(b.role) +
           "\", \"rect\": " + rect(b.rect, o) + ", \"probe\": " + rect(block_probe(b.rect), o) +
           ", \"fill\": " + color(b.role) + "}";
    }
    j += "]}";
  }
  j += "\n  ],\n  \"legacy\": [";
  for (std::size_t i = 0; i < v.legacy.size(); ++i) {
    const LegacyBlock &l = v.legacy[i];
    j += std::string(i ? "," : "") + "\n    {\"name\": \"" + escape(l.name) +
         "\", \"altitude\": \"" + escape(l.altitude) + "\", \"role\": \"" + to_string(l.role) +
         "\", \"rect\": " + rect(l.rect, o) + ", \"probe\": " + rect(block_probe(l.rect), o) +
         ", \"fill\": " + color(l.role) + "}";
  }
  j += "\n  ],\n  \"stack\": [";
  for (std::size_t i = 0; i < v.stack.size(); ++i) {
    const StackItem &s = v.stack[i];
    j += std::string(i ? ", " : "") + "\"" +
         (s.kind == StackItem::Kind::frame ? "Frame " + std::to_string(v.frames[s.index].id)
                                           : escape(v.legacy[s.index].name)) +
         "\"";
  }
  j += "],\n  \"connectors\": [";
  for (std::size_t i = 0; i < v.connectors.size(); ++i) {
    const Connector &c = v.connectors[i];
    j += std::string(i ? "," : "") + "\n    {\"code\": \"" + escape(c.code) + "\", \"points\": [";
    for (std::size_t k = 0; k < c.points.size(); ++k)
      j += std::string(k ? ", " : "") + "[" + json_number(c.points[k].x + o.x) + ", " +
           json_number(c.points[k].y + o.y) + "]";
    j += "], \"fill\": " + color(Role::connector) + "}";
  }
  j += "\n  ]\n}\n";
  return j;
}

} // namespace fltsim::viewer
