#include "fltsim/viewer/geometry.hpp"

#include <algorithm>
#include <cmath>

namespace fltsim::viewer {

bool Rect::overlaps(const Rect &o) const {
  return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
}

bool Rect::encloses(const Rect &o) const {
  return o.x >= x && o.y >= y && o.right() <= right() && o.bottom() <= bottom();
}

float distance_to_segment(Vec2 p, Vec2 a, Vec2 b) {
  const float dx = b.x - a.x;
  const float dy = b.y - a.y;
  const float len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0f;
  t = std::clamp(t, 0.0f, 1.0f);
  const float cx = a.x + t * dx - p.x;
  const float cy = a.y + t * dy - p.y;
  return std::sqrt(cx * cx + cy * cy);
}

} // namespace fltsim::viewer
