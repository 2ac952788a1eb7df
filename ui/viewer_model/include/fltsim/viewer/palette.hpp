#pragma once
// Colours of the stack picture. The model assigns a role to every box; the palette turns roles
// into RGBA. The screenshot test reads the same table (through the layout JSON) to check that the
// pixels where the model put a box have that box's colour.
#include <cstdint>

namespace fltsim::viewer {

struct Color {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
  std::uint8_t a = 255;
  friend bool operator==(const Color &, const Color &) = default;
};

enum class Role : std::uint8_t {
  canvas,              ///< background of the stack picture
  file_system,         ///< the file system block at the bottom
  frame,               ///< fltmgr frame box
  frame_highlight,     ///< the frame created, grown or registered into at the current step
  minifilter,          ///< minifilter row inside a frame
  minifilter_inverted, ///< minifilter that takes part in an altitude inversion
  minifilter_new,      ///< minifilter that registers at the current step
  legacy,              ///< legacy filter block
  legacy_no_altitude,  ///< legacy filter whose group gives it no altitude (E3)
  legacy_highlight,    ///< legacy filter that attaches at the current step
  connector,           ///< altitude-inversion connector
  highlight_outline,   ///< outline of highlighted boxes
  selection_outline,   ///< outline of the selected driver
  axis,                ///< altitude axis line and ticks
  text,                ///< labels on boxes
  text_dim,            ///< secondary labels (altitudes, axis)
  group_band,          ///< documented group range shading on the axis
  frame_band_even,     ///< frame range bar on the axis, even frame ids
  frame_band_odd,      ///< frame range bar on the axis, odd frame ids
  error_text,          ///< inline errors
};

/// The palette (dark theme, colours picked to stay distinguishable in greyscale too).
[[nodiscard]] Color color_of(Role role);
/// Stable lower-case name of a role, for the layout JSON.
[[nodiscard]] const char *to_string(Role role);

} // namespace fltsim::viewer
