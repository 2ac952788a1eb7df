#include "fltsim/viewer/palette.hpp"

namespace fltsim::viewer {

Color color_of(Role role) {
  switch (role) {
  case Role::canvas:
    return {24, 26, 31, 255};
  case Role::file_system:
    return {92, 92, 98, 255};
  case Role::frame:
    return {38, 66, 112, 255};
  case Role::frame_highlight:
    return {44, 98, 170, 255};
  case Role::minifilter:
    return {70, 128, 190, 255};
  case Role::minifilter_inverted:
    return {170, 56, 56, 255};
  case Role::minifilter_new:
    return {84, 170, 120, 255};
  case Role::legacy:
    return {168, 112, 40, 255};
  case Role::legacy_no_altitude:
    return {120, 104, 84, 255};
  case Role::legacy_highlight:
    return {214, 150, 52, 255};
  case Role::connector:
    return {240, 48, 48, 255};
  case Role::highlight_outline:
    return {250, 220, 70, 255};
  case Role::selection_outline:
    return {255, 255, 255, 255};
  case Role::axis:
    return {150, 150, 160, 255};
  case Role::text:
    return {240, 240, 240, 255};
  case Role::text_dim:
    return {180, 184, 196, 255};
  case Role::group_band:
    return {48, 52, 62, 255};
  case Role::frame_band_even:
    return {60, 100, 160, 255};
  case Role::frame_band_odd:
    return {96, 140, 200, 255};
  case Role::error_text:
    return {255, 110, 110, 255};
  }
  return {255, 0, 255, 255};
}

const char *to_string(Role role) {
  switch (role) {
  case Role::canvas:
    return "canvas";
  case Role::file_system:
    return "file_system";
  case Role::frame:
    return "frame";
  case Role::frame_highlight:
    return "frame_highlight";
  case Role::minifilter:
    return "minifilter";
  case Role::minifilter_inverted:
    return "minifilter_inverted";
  case Role::minifilter_new:
    return "minifilter_new";
  case Role::legacy:
    return "legacy";
  case Role::legacy_no_altitude:
    return "legacy_no_altitude";
  case Role::legacy_highlight:
    return "legacy_highlight";
  case Role::connector:
    return "connector";
  case Role::highlight_outline:
    return "highlight_outline";
  case Role::selection_outline:
    return "selection_outline";
  case Role::axis:
    return "axis";
  case Role::text:
    return "text";
  case Role::text_dim:
    return "text_dim";
  case Role::group_band:
    return "group_band";
  case Role::frame_band_even:
    return "frame_band_even";
  case Role::frame_band_odd:
    return "frame_band_odd";
  case Role::error_text:
    return "error_text";
  }
  return "unknown";
}

} // namespace fltsim::viewer
