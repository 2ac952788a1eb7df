#pragma once
// The stack picture as plain data: where every box goes, its colour role, its label and its
// tooltip. ui/viewer draws a StackView with ImGui; nothing here knows about ImGui.
//
// The picture is a tower, file system at the bottom, then the device stack bottom to top
// (R7): each fltmgr frame is a box labelled "Frame N [low – high]" holding its minifilters
// (lowest altitude at the bottom), each legacy filter is a block between frames. To
// the left an altitude axis shows, on a linear scale, each frame's altitude range and a marker per
// filter with a leader line to its box: where the stack order and the altitude order disagree the
// leader lines cross. To the right every altitude inversion (finding `altitude-inversion` or
// `legacy-order-inversion`) is a red connector between the two filters, in its own lane.
#include <cstddef>
#include <string>
#include <vector>

#include "fltsim/sim/result.hpp"
#include "fltsim/sim/scenario.hpp"
#include "fltsim/viewer/geometry.hpp"
#include "fltsim/viewer/palette.hpp"

namespace fltsim::viewer {

/// Sizes of the picture, in pixels.
struct StackLayoutOptions {
  float margin = 12;
  float axis_width = 124; ///< tick labels + axis line + frame range bars; 0 = no axis
  float leader_gap = 44;  ///< room for leader lines between the axis and the tower
  float tower_width = 340;
  float row_height = 20;   ///< one minifilter row
  float frame_header = 24; ///< the "Frame N [low – high]" line of a frame box
  float frame_inset = 12;  ///< plain frame colour left and right of the rows
  float frame_padding = 6; ///< below the lowest row
  float legacy_height = 30;
  float fs_height = 30;
  float gap = 8;                      ///< between stacked boxes
  float min_axis_height = 320;        ///< the axis never gets shorter than this
  float lane_spacing = 9;             ///< between connector lanes
  int max_lanes = 12;                 ///< connectors beyond this share the outermost lane
  std::size_t max_connectors = 2000;  ///< more inversions than this are counted, not drawn
  std::size_t max_leader_lines = 160; ///< above this many filters the axis shows markers only
  /// Top of the altitude axis; 0 = fit the stack shown. The viewer passes the final stack's
  /// maximum so the scale stays put while the timeline is scrubbed.
  double axis_max_altitude = 0;
};

/// What the current trace step is about, so the picture can point at it.
struct StepFocus {
  int frame = -1;                       ///< frame created, grown, raised or registered into
  int driver = -1;                      ///< driver that the step is about (scenario index)
  std::optional<sim::TraceEvent> event; ///< TraceStep::kind; empty = no step in focus
  std::string badge; ///< short text next to the frame label: "created", "grown", ...
};
/// Maps a trace step to what it changes (frame and driver).
[[nodiscard]] StepFocus focus_of(const sim::TraceStep &step, const sim::Scenario &scenario);

struct FilterBox {
  int driver = -1;
  std::string name;
  std::string altitude; ///< default-instance altitude, as written
  Rect rect;
  Role role = Role::minifilter;
  bool inverted = false; ///< part of an altitude-inversion finding
  bool is_new = false;   ///< registers at the current step
  bool selected = false;
  std::string tooltip;
};

struct FrameBox {
  int id = 0;
  std::string label; ///< "Frame 0 [0 – 329998.99]"
  std::string badge; ///< "created" / "grown" / ... at the current step, else empty
  Rect rect;
  Rect header; ///< the label line at the top of the box
  Role role = Role::frame;
  bool highlighted = false;
  std::vector<FilterBox> filters; ///< ascending altitude: the last one is the top row
  std::string tooltip;
};

struct LegacyBlock {
  int driver = -1;
  std::string name;
  std::string altitude; ///< "329998.99", or empty when the group gives none (E3)
  Rect rect;
  Role role = Role::legacy;
  bool highlighted = false; ///< attaches at the current step
  bool inverted = false;
  bool selected = false;
  std::string tooltip;
};

/// One entry of the device stack, bottom to top: an index into frames or legacy.
struct StackItem {
  enum class Kind { frame, legacy };
  Kind kind = Kind::frame;
  std::size_t index = 0;
};

/// A red connector between the two filters of an inversion, drawn to the right of the tower.
struct Connector {
  std::string code;         ///< finding code
  int lower = -1;           ///< driver lower on the stack
  int upper = -1;           ///< driver higher on the stack
  std::vector<Vec2> points; ///< polyline: out of the lower box, up its lane, into the upper box
  int lane = 0;
  std::string tooltip; ///< why it happened (the finding's message)
};

struct AxisTick {
  float y = 0;
  std::string label;
};
/// A frame's altitude range on the axis.
struct AxisFrameBand {
  int frame = 0;
  float y_top = 0;
  float y_bottom = 0;
  Role role = Role::frame_band_even;
};
/// A documented load order group range that some driver of the scenario uses.
struct AxisGroupBand {
  std::string group;
  float y_top = 0;
  float y_bottom = 0;
};
/// A filter's altitude on the axis, with a leader line to its box.
struct AxisMarker {
  int driver = -1;
  float y = 0;
  bool legacy = false;
  bool inverted = false;
  bool leader = true; ///< draw the leader line (off for very large stacks)
  Vec2 target;        ///< where the leader line ends (left edge of the box)
};
struct Axis {
  bool enabled = false;
  Rect area;
  float line_x = 0; ///< x of the axis line
  float bar_x0 = 0; ///< frame range bars, right of the line
  float bar_x1 = 0;
  float y_top = 0;    ///< y of max_altitude
  float y_bottom = 0; ///< y of altitude 0
  double max_altitude = 0;
  std::vector<AxisTick> ticks;
  std::vector<AxisFrameBand> frames;
  std::vector<AxisGroupBand> groups;
  std::vector<AxisMarker> markers;
  /// y of an altitude on the linear scale (for layout only; rules compare exact decimals).
  [[nodiscard]] float y_of(double altitude) const;
};

struct StackView {
  Vec2 size;  ///< content size: everything lies in [0, size)
  Rect tower; ///< the column that holds the boxes
  Rect file_system;
  std::vector<FrameBox> frames;    ///< ascending id
  std::vector<LegacyBlock> legacy; ///< bottom to top
  std::vector<StackItem> stack;    ///< bottom to top above the file system
  std::vector<Connector> connectors;
  std::size_t connectors_omitted = 0;
  Axis axis;
  StepFocus focus;
  std::size_t filter_count = 0;

  [[nodiscard]] const FilterBox *find_filter(int driver) const;
  [[nodiscard]] const LegacyBlock *find_legacy(int driver) const;
  [[nodiscard]] const FrameBox *find_frame(int id) const;
  [[nodiscard]] Rect rect_of(const StackItem &item) const;
};

/// Lays out `result` (the stack as of some step) for `scenario`. `focus` marks what the current
/// step changed; `selected_driver` (or -1) gets an outline.
[[nodiscard]] StackView build_stack_view(const sim::Scenario &scenario,
                                         const sim::SimResult &result, const StepFocus &focus = {},
                                         int selected_driver = -1,
                                         const StackLayoutOptions &options = {});

/// What is under a point of the picture (content coordinates).
struct Hit {
  enum class Kind { none, filter, legacy, frame, connector, file_system, axis_group };
  Kind kind = Kind::none;
  int driver = -1;
  int frame = -1;
  std::size_t index = 0; ///< connector or group band index
};
[[nodiscard]] Hit hit_test(const StackView &view, Vec2 p, float connector_tolerance = 4);
/// Tooltip text for a hit ("" for none).
[[nodiscard]] std::string tooltip_of(const StackView &view, const Hit &hit);

/// The volumes a stack can be shown for (docs/model.md#volume-policies): the scenario's volumes
/// with their class ("D: (dev-drive)"); empty when the scenario names none (one implicit volume).
struct VolumeChoice {
  std::string volume; ///< as in Scenario::volumes
  std::string label;  ///< "D: (dev-drive)"
};
[[nodiscard]] std::vector<VolumeChoice> volume_choices(const sim::Scenario &scenario);

/// `result` as seen on one volume: legacy filters not attached there are left out of the stack,
/// minifilters keep only the instances attached there (and are left out of their frame when none
/// is), frames stay. Build the stack view of one volume from it. A volume that is not in the
/// result gives the result unchanged.
[[nodiscard]] sim::SimResult restrict_to_volume(const sim::SimResult &result,
                                                const std::string &volume);

/// Highest altitude in a result (frame bounds, minifilters, legacy filters), at least 49999.
[[nodiscard]] double max_altitude_of(const sim::SimResult &result);

/// Exact-decimal altitude text to a double, for positioning only.
[[nodiscard]] double altitude_value(const sim::Altitude &a);

} // namespace fltsim::viewer
