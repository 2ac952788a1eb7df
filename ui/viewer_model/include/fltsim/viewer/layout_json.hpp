#pragma once
// The stack picture's layout as JSON, in screen pixels, written next to a screenshot
// (`fltsim-view --screenshot OUT.png --layout-json OUT.json`) so a test can check that the pixels
// where the model put each frame box, legacy block and connector have that element's colour.
//
// Every box carries a `probe` rectangle: a strip inside the box that the renderer fills with the
// box colour only (no text, rows or outlines), and `fill`, that colour.
#include <string>

#include "fltsim/viewer/geometry.hpp"
#include "fltsim/viewer/stack_view.hpp"

namespace fltsim::viewer {

struct LayoutJsonInput {
  const StackView *view = nullptr;
  StackLayoutOptions options;
  Vec2 origin; ///< screen position of the view's (0, 0)
  Rect clip;   ///< visible part of the stack canvas, in screen pixels
  int image_width = 0;
  int image_height = 0;
  std::string scenario; ///< title
  int step = 0;         ///< timeline position shown
  int step_count = 0;
};

/// Probe strips (content coordinates), see the header comment.
[[nodiscard]] Rect frame_probe(const FrameBox &f, const StackLayoutOptions &o);
[[nodiscard]] Rect block_probe(const Rect &block);

[[nodiscard]] std::string layout_json(const LayoutJsonInput &in);

} // namespace fltsim::viewer
