#pragma once
// The stack picture as SVG text, drawn from the same StackView the viewer draws with ImGui
// (ui/viewer/panels_stack.cpp): the same boxes at the same coordinates, in the same palette
// colours, so `fltsim simulate --format svg` and the viewer show one picture. Pure text
// generation: no fonts, scripts, images or links are referenced, so the file renders anywhere,
// offline.
//
// Every box is a <g> with a class (`frame`, `filter`, `legacy`, `connector`, `file-system`) and
// data attributes (`data-id`, `data-driver`, `data-x`, ... in view coordinates), and a <title>
// child: the box's tooltip, and for a connector the finding's message (why the inversion
// happened). A stand-alone picture uses view coordinates 1:1, so the layout JSON
// (layout_json.hpp, origin 0) says where each box's pixels are.
#include <string>
#include <vector>

#include "fltsim/sim/result.hpp"
#include "fltsim/sim/scenario.hpp"
#include "fltsim/viewer/stack_view.hpp"

namespace fltsim::viewer {

struct SvgOptions {
  std::string title; ///< the picture's <title> (its accessible name); may be empty
  /// Write `<?xml ...?>` and the xmlns: a stand-alone .svg file. Off for an <svg> inlined into
  /// HTML or Markdown.
  bool standalone = true;
};

/// One stack picture, size = view.size (rounded up to whole pixels).
[[nodiscard]] std::string stack_svg(const StackView &view, const SvgOptions &options = {});

/// A stack picture with a caption line above it (plan: "Before", "After").
struct SvgPanel {
  const StackView *view = nullptr;
  std::string caption;
};
/// Height of the caption line above each panel of panels_svg.
inline constexpr float kSvgCaptionHeight = 26;
/// Panels side by side, left to right, bottoms aligned, each under its caption.
[[nodiscard]] std::string panels_svg(const std::vector<SvgPanel> &panels,
                                     const SvgOptions &options = {});

/// `text` escaped for XML character data and attribute values; control characters XML 1.0
/// forbids and invalid UTF-8 become U+FFFD.
[[nodiscard]] std::string svg_escape(const std::string &text);

/// The result restricted to one volume's stack: each frame keeps the minifilters with an
/// instance attached on `volume` (docs/model.md#volumes); legacy filters attach to every volume.
/// A scenario without `volumes:` has the one implicit volume "C:".
[[nodiscard]] sim::SimResult volume_stack(const sim::SimResult &result, const std::string &volume);
/// The scenario's volumes ("C:" when it names none).
[[nodiscard]] std::vector<std::string> volumes_of(const sim::Scenario &scenario);

} // namespace fltsim::viewer
