#pragma once
// Plain 2-D geometry for the view model: pixels, y pointing down (the convention of ImGui and of
// the PNGs the viewer writes).

namespace fltsim::viewer {

struct Vec2 {
  float x = 0;
  float y = 0;
  friend bool operator==(const Vec2 &, const Vec2 &) = default;
};

/// Axis-aligned rectangle: top-left corner plus size.
struct Rect {
  float x = 0;
  float y = 0;
  float w = 0;
  float h = 0;

  [[nodiscard]] float right() const { return x + w; }
  [[nodiscard]] float bottom() const { return y + h; }
  [[nodiscard]] Vec2 center() const { return {x + w / 2, y + h / 2}; }
  /// Half-open: the right and bottom edges are outside.
  [[nodiscard]] bool contains(Vec2 p) const {
    return p.x >= x && p.x < right() && p.y >= y && p.y < bottom();
  }
  /// True when the rectangles share interior area (touching edges do not count).
  [[nodiscard]] bool overlaps(const Rect &o) const;
  /// True when `o` lies completely inside this rectangle (edges may touch).
  [[nodiscard]] bool encloses(const Rect &o) const;
  [[nodiscard]] Rect translated(Vec2 d) const { return {x + d.x, y + d.y, w, h}; }
  [[nodiscard]] Rect inset(float d) const { return {x + d, y + d, w - 2 * d, h - 2 * d}; }
  friend bool operator==(const Rect &, const Rect &) = default;
};

/// Distance from `p` to the segment a-b.
[[nodiscard]] float distance_to_segment(Vec2 p, Vec2 a, Vec2 b);

} // namespace fltsim::viewer
