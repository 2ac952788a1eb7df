#include "fltsim/viewer/stack_view.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "fltsim/sim/findings.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::viewer {

namespace {

const std::string kDash = "\xE2\x80\x93"; // en dash, as the trace writes frame ranges

std::string frame_label(const sim::Frame &f) {
  return "Frame " + std::to_string(f.id) + " [" + f.low.text() + " " + kDash + " " + f.high.text() +
         "]";
}

std::size_t idx(int i) {
  return static_cast<std::size_t>(i);
}

/// Drivers by name (case-insensitive, as Scenario::find_driver), built once per layout: findings
/// name their drivers, and a stack with many findings would otherwise search the scenario once per
/// finding, O(findings x drivers) per rebuild (docs/performance.md, "viewer model").
class DriverIndex {
public:
  explicit DriverIndex(const sim::Scenario &scenario) {
    by_name_.reserve(scenario.drivers.size());
    for (std::size_t i = 0; i < scenario.drivers.size(); ++i)
      by_name_.emplace(sim::ascii_lower(scenario.drivers[i].name),
                       static_cast<int>(i)); // first wins
  }
  [[nodiscard]] int find(const std::string &name) const {
    const auto it = by_name_.find(sim::ascii_lower(name));
    return it == by_name_.end() ? -1 : it->second;
  }

private:
  std::unordered_map<std::string, int> by_name_;
};

std::string group_text(const sim::Driver &d) {
  return d.group ? *d.group : "no group";
}

/// Tick spacing that gives at most ~8 labelled ticks.
double tick_step(double max_alt) {
  for (double s : {10000.0, 20000.0, 50000.0, 100000.0, 200000.0, 500000.0}) {
    if (max_alt / s <= 8.0)
      return s;
  }
  double s = 1000000.0;
  while (max_alt / s > 8.0)
    s *= 10.0;
  return s;
}

std::string tick_label(double v) {
  // Altitudes on the axis are whole multiples of the tick step.
  return std::to_string(static_cast<long long>(std::llround(v)));
}

} // namespace

double altitude_value(const sim::Altitude &a) {
  const std::string text = a.canonical(); // digits without leading or trailing zeros
  double v = 0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), v);
  if (res.ec != std::errc())
    return 0; // out of range: the axis pins it to the bottom
  return v;
}

std::vector<VolumeChoice> volume_choices(const sim::Scenario &scenario) {
  std::vector<VolumeChoice> out;
  for (const std::string &v : scenario.volumes)
    out.push_back({v, v + " (" + sim::to_string(scenario.volume_spec(v).volume_class) + ")"});
  return out;
}

sim::SimResult restrict_to_volume(const sim::SimResult &result, const std::string &volume) {
  const auto vs = std::find_if(result.volumes.begin(), result.volumes.end(),
                               [&](const sim::VolumeStack &v) { return v.volume == volume; });
  if (vs == result.volumes.end())
    return result;
  sim::SimResult out = result;
  std::set<int> legacy_here;
  for (const auto &f : vs->filters)
    if (f.kind == sim::StackEntry::Kind::legacy)
      legacy_here.insert(f.driver);
  std::erase_if(out.stack, [&](const sim::StackEntry &e) {
    return e.kind == sim::StackEntry::Kind::legacy && !legacy_here.contains(e.driver);
  });
  for (sim::Frame &f : out.frames) {
    for (sim::FrameFilter &ff : f.filters)
      std::erase_if(ff.attached, [&](const auto &a) { return a.volume != volume; });
    std::erase_if(f.filters, [](const sim::FrameFilter &ff) { return ff.attached.empty(); });
  }
  return out;
}

double max_altitude_of(const sim::SimResult &result) {
  double max_alt = 49999;
  for (const sim::Frame &f : result.frames) {
    max_alt = std::max(max_alt, altitude_value(f.high));
    for (const sim::FrameFilter &ff : f.filters)
      max_alt = std::max(max_alt, altitude_value(ff.altitude));
  }
  for (const sim::StackEntry &e : result.stack)
    if (e.altitude)
      max_alt = std::max(max_alt, altitude_value(*e.altitude));
  return max_alt;
}

float Axis::y_of(double altitude) const {
  if (max_altitude <= 0)
    return y_bottom;
  const double t = std::clamp(altitude / max_altitude, 0.0, 1.0);
  return static_cast<float>(static_cast<double>(y_bottom) -
                            t * static_cast<double>(y_bottom - y_top));
}

StepFocus focus_of(const sim::TraceStep &step, const sim::Scenario &scenario) {
  StepFocus f;
  using sim::TraceEvent;
  f.event = step.kind;
  f.driver = step.driver.empty() ? -1 : scenario.find_driver(step.driver);
  // The steps about one frame focus it; those that change it also badge it.
  switch (step.kind) {
  case TraceEvent::fltmgr_start:
  case TraceEvent::frame_create:
    f.badge = "created";
    break;
  case TraceEvent::frame_grow:
    f.badge = "grown (R4.3)";
    break;
  case TraceEvent::frame_raise:
    f.badge = "raised (R5)";
    break;
  case TraceEvent::register_filter:
    f.badge = "registers here";
    break;
  case TraceEvent::instance_fail:
  case TraceEvent::unload:
    break;
  default:
    return f; // about no frame
  }
  f.frame = step.frame;
  return f;
}

const FilterBox *StackView::find_filter(int driver) const {
  for (const FrameBox &f : frames)
    for (const FilterBox &b : f.filters)
      if (b.driver == driver)
        return &b;
  return nullptr;
}

const LegacyBlock *StackView::find_legacy(int driver) const {
  for (const LegacyBlock &l : legacy)
    if (l.driver == driver)
      return &l;
  return nullptr;
}

const FrameBox *StackView::find_frame(int id) const {
  for (const FrameBox &f : frames)
    if (f.id == id)
      return &f;
  return nullptr;
}

Rect StackView::rect_of(const StackItem &item) const {
  return item.kind == StackItem::Kind::frame ? frames[item.index].rect : legacy[item.index].rect;
}

StackView build_stack_view(const sim::Scenario &scenario, const sim::SimResult &result,
                           const StepFocus &focus, int selected_driver,
                           const StackLayoutOptions &o) {
  StackView v;
  v.focus = focus;

  // Which drivers take part in inversions (findings name drivers; the engine's names are unique).
  const DriverIndex drivers(scenario);
  std::vector<bool> inverted_flag(scenario.drivers.size(), false);
  for (const sim::Finding &f : result.findings)
    if (f.code == sim::rule::altitude_inversion || f.code == sim::rule::legacy_order_inversion)
      for (const std::string &n : f.drivers)
        if (int d = drivers.find(n); d >= 0)
          inverted_flag[idx(d)] = true;
  auto is_inverted = [&](int d) {
    return d >= 0 && idx(d) < inverted_flag.size() && inverted_flag[idx(d)];
  };

  // ---- heights, bottom to top -------------------------------------------------------------
  auto frame_height = [&](const sim::Frame &f) {
    const std::size_t rows = std::max<std::size_t>(f.filters.size(), 1); // empty frames: one blank
    return o.frame_header + static_cast<float>(rows) * o.row_height + o.frame_padding;
  };
  float tower_h = o.fs_height;
  for (const sim::StackEntry &e : result.stack) {
    if (e.kind == sim::StackEntry::Kind::frame) {
      if (e.frame >= 0 && idx(e.frame) < result.frames.size())
        tower_h += o.gap + frame_height(result.frames[idx(e.frame)]);
    } else {
      tower_h += o.gap + o.legacy_height;
    }
  }
  const bool axis = o.axis_width > 0;
  const float content_h = std::max(tower_h, axis ? o.min_axis_height : 0.0f);
  v.size.y = o.margin * 2 + content_h;
  const float tower_x = o.margin + (axis ? o.axis_width + o.leader_gap : 0.0f);
  const float bottom = v.size.y - o.margin;
  v.tower = {tower_x, bottom - tower_h, o.tower_width, tower_h};
  v.file_system = {tower_x, bottom - o.fs_height, o.tower_width, o.fs_height};

  // ---- boxes ----------------------------------------------------------------------------------
  v.frames.reserve(result.frames.size());
  for (const sim::Frame &f : result.frames) {
    FrameBox b;
    b.id = f.id;
    b.label = frame_label(f);
    b.highlighted = focus.frame == f.id;
    b.role = b.highlighted ? Role::frame_highlight : Role::frame;
    if (b.highlighted)
      b.badge = focus.badge;
    b.tooltip = b.label + ": " + std::to_string(f.filters.size()) +
                (f.filters.size() == 1 ? " minifilter" : " minifilters") +
                ". Minifilters register into the lowest frame whose range holds their altitude "
                "(R3).";
    v.frames.push_back(std::move(b));
  }
  float cursor = v.file_system.y; // top edge of what is already placed
  for (const sim::StackEntry &e : result.stack) {
    if (e.kind == sim::StackEntry::Kind::frame) {
      if (e.frame < 0 || idx(e.frame) >= result.frames.size())
        continue;
      const sim::Frame &f = result.frames[idx(e.frame)];
      FrameBox &b = v.frames[idx(e.frame)];
      const float h = frame_height(f);
      b.rect = {tower_x, cursor - o.gap - h, o.tower_width, h};
      b.header = {b.rect.x, b.rect.y, b.rect.w, o.frame_header};
      cursor = b.rect.y;
      // Rows: lowest altitude at the bottom (R7: FLTMGR(k) expands lowest altitude first).
      float row_bottom = b.rect.bottom() - o.frame_padding;
      for (const sim::FrameFilter &ff : f.filters) {
        FilterBox fb;
        fb.driver = ff.driver;
        fb.name = ff.name;
        fb.altitude = ff.altitude.text();
        fb.rect = {b.rect.x + o.frame_inset, row_bottom - o.row_height + 1,
                   b.rect.w - 2 * o.frame_inset, o.row_height - 2};
        row_bottom -= o.row_height;
        fb.inverted = is_inverted(ff.driver);
        fb.is_new = focus.driver == ff.driver && (focus.event == sim::TraceEvent::register_filter ||
                                                  focus.event == sim::TraceEvent::load);
        fb.selected = selected_driver == ff.driver;
        fb.role = fb.is_new ? Role::minifilter_new
                            : (fb.inverted ? Role::minifilter_inverted : Role::minifilter);
        if (ff.driver >= 0 && idx(ff.driver) < scenario.drivers.size()) {
          const sim::Driver &d = scenario.drivers[idx(ff.driver)];
          fb.tooltip = d.name + ": minifilter, " + group_text(d) + ", " + sim::to_string(d.start) +
                       " start, altitude " + fb.altitude + ", in " + b.label + "; " +
                       std::to_string(ff.attached.size()) +
                       (ff.attached.size() == 1 ? " instance" : " instances") + " attached";
        }
        b.filters.push_back(std::move(fb));
        ++v.filter_count;
      }
      v.stack.push_back({StackItem::Kind::frame, idx(e.frame)});
    } else {
      LegacyBlock l;
      l.driver = e.driver;
      l.name = e.name;
      l.altitude = e.altitude ? e.altitude->text() : std::string();
      l.rect = {tower_x, cursor - o.gap - o.legacy_height, o.tower_width, o.legacy_height};
      cursor = l.rect.y;
      l.highlighted = focus.driver == e.driver && focus.event == sim::TraceEvent::legacy_attach;
      l.inverted = is_inverted(e.driver);
      l.selected = selected_driver == e.driver;
      l.role = l.highlighted ? Role::legacy_highlight
                             : (e.altitude ? Role::legacy : Role::legacy_no_altitude);
      if (e.driver >= 0 && idx(e.driver) < scenario.drivers.size()) {
        const sim::Driver &d = scenario.drivers[idx(e.driver)];
        l.tooltip = d.name + ": legacy filter, " + group_text(d) + ", " + sim::to_string(d.start) +
                    " start, " +
                    (e.altitude ? "altitude " + l.altitude +
                                      " from its group (docs/model.md#legacy-altitudes)"
                                : std::string("no altitude: its group is not in fltmgr's table, "
                                              "so it never bounds a frame (E3)")) +
                    ". It attached on top of whatever was on the stack when it loaded (R2).";
      }
      v.stack.push_back({StackItem::Kind::legacy, v.legacy.size()});
      v.legacy.push_back(std::move(l));
    }
  }

  // ---- connectors -----------------------------------------------------------------------------
  // Where each driver is drawn, indexed once (a minifilter box wins over the legacy block of a
  // kind: both driver, as find_filter before find_legacy would).
  std::vector<std::optional<Rect>> anchors(scenario.drivers.size());
  for (const LegacyBlock &l : v.legacy)
    if (l.driver >= 0 && idx(l.driver) < anchors.size() && !anchors[idx(l.driver)])
      anchors[idx(l.driver)] = l.rect;
  for (const FrameBox &fr : v.frames)
    for (const FilterBox &b : fr.filters)
      if (b.driver >= 0 && idx(b.driver) < anchors.size())
        anchors[idx(b.driver)] = b.rect;
  auto anchor = [&](int driver) -> std::optional<Rect> {
    if (driver < 0 || idx(driver) >= anchors.size())
      return std::nullopt;
    return anchors[idx(driver)];
  };
  struct Pending {
    Connector c;
    float top, bottom;
  };
  std::vector<Pending> pending;
  for (const sim::Finding &f : result.findings) {
    if (f.code != sim::rule::altitude_inversion && f.code != sim::rule::legacy_order_inversion)
      continue;
    if (f.drivers.size() < 2)
      continue;
    const int a = drivers.find(f.drivers[0]);
    const int b = drivers.find(f.drivers[1]);
    const auto ra = anchor(a);
    const auto rb = anchor(b);
    if (!ra || !rb)
      continue;
    if (pending.size() >= o.max_connectors) {
      ++v.connectors_omitted;
      continue;
    }
    Pending p;
    p.c.code = f.code;
    const bool a_lower = ra->center().y > rb->center().y; // y grows downwards
    p.c.lower = a_lower ? a : b;
    p.c.upper = a_lower ? b : a;
    p.c.tooltip = f.message;
    p.top = std::min(ra->center().y, rb->center().y);
    p.bottom = std::max(ra->center().y, rb->center().y);
    pending.push_back(std::move(p));
  }
  // Lanes: shortest connectors closest to the tower; a lane holds connectors whose vertical
  // spans do not overlap.
  std::stable_sort(pending.begin(), pending.end(), [](const Pending &x, const Pending &y) {
    return x.bottom - x.top < y.bottom - y.top;
  });
  std::vector<std::vector<std::pair<float, float>>> lanes(idx(std::max(o.max_lanes, 1)));
  int lanes_used = 0;
  for (Pending &p : pending) {
    int lane = static_cast<int>(lanes.size()) - 1;
    for (std::size_t l = 0; l < lanes.size(); ++l) {
      const bool free = std::none_of(lanes[l].begin(), lanes[l].end(), [&](const auto &s) {
        return p.top <= s.second + 2 && s.first <= p.bottom + 2;
      });
      if (free) {
        lane = static_cast<int>(l);
        break;
      }
    }
    lanes[idx(lane)].push_back({p.top, p.bottom});
    lanes_used = std::max(lanes_used, lane + 1);
    p.c.lane = lane;
    const Rect lo = *anchor(p.c.lower);
    const Rect up = *anchor(p.c.upper);
    const float lane_x = v.tower.right() + 10 + static_cast<float>(lane) * o.lane_spacing;
    p.c.points = {{lo.right(), lo.center().y},
                  {lane_x, lo.center().y},
                  {lane_x, up.center().y},
                  {up.right(), up.center().y}};
    v.connectors.push_back(std::move(p.c));
  }
  v.size.x = v.tower.right() + 10 + static_cast<float>(std::max(lanes_used, 1)) * o.lane_spacing +
             o.margin;

  // ---- altitude axis --------------------------------------------------------------------------
  if (axis) {
    Axis &ax = v.axis;
    ax.enabled = true;
    ax.area = {o.margin, o.margin, o.axis_width, content_h};
    ax.line_x = o.margin + o.axis_width - 22;
    ax.bar_x0 = ax.line_x + 4;
    ax.bar_x1 = ax.line_x + 14;
    ax.y_bottom = v.file_system.y;
    ax.y_top = o.margin + 8;
    const double max_alt = std::max(max_altitude_of(result), o.axis_max_altitude);
    const double step = tick_step(max_alt);
    ax.max_altitude = std::ceil(max_alt / step) * step;
    if (ax.max_altitude <= max_alt)
      ax.max_altitude += step; // keep the top marker off the end of the axis
    for (double t = 0; t <= ax.max_altitude + step / 2; t += step)
      ax.ticks.push_back({ax.y_of(t), tick_label(t)});
    for (const sim::Frame &f : result.frames)
      ax.frames.push_back({f.id, ax.y_of(altitude_value(f.high)), ax.y_of(altitude_value(f.low)),
                           f.id % 2 == 0 ? Role::frame_band_even : Role::frame_band_odd});
    // Documented ranges of the groups the scenario's drivers name.
    std::set<std::string> seen;
    for (const sim::Driver &d : scenario.drivers) {
      if (!d.group)
        continue;
      const sim::GroupInfo *g = sim::find_group(*d.group);
      if (!g || g->low.empty() || g->high.empty() || !seen.insert(std::string(g->name)).second)
        continue;
      const auto lo = sim::Altitude::parse(g->low);
      const auto hi = sim::Altitude::parse(g->high);
      if (!lo || !hi)
        continue;
      ax.groups.push_back(
          {std::string(g->name), ax.y_of(altitude_value(*hi)), ax.y_of(altitude_value(*lo))});
    }
    const bool leaders = v.filter_count + v.legacy.size() <= o.max_leader_lines;
    for (const FrameBox &fb : v.frames)
      for (const FilterBox &f : fb.filters) {
        const auto a = sim::Altitude::parse(f.altitude);
        ax.markers.push_back({f.driver,
                              ax.y_of(a ? altitude_value(*a) : 0),
                              false,
                              f.inverted,
                              leaders,
                              {f.rect.x, f.rect.center().y}});
      }
    for (const LegacyBlock &l : v.legacy) {
      if (l.altitude.empty())
        continue;
      const auto a = sim::Altitude::parse(l.altitude);
      ax.markers.push_back({l.driver,
                            ax.y_of(a ? altitude_value(*a) : 0),
                            true,
                            l.inverted,
                            leaders,
                            {l.rect.x, l.rect.center().y}});
    }
  }
  return v;
}

Hit hit_test(const StackView &v, Vec2 p, float tol) {
  Hit h;
  for (std::size_t i = 0; i < v.connectors.size(); ++i) {
    const auto &pts = v.connectors[i].points;
    for (std::size_t k = 1; k < pts.size(); ++k)
      if (distance_to_segment(p, pts[k - 1], pts[k]) <= tol) {
        h.kind = Hit::Kind::connector;
        h.index = i;
        h.driver = v.connectors[i].lower;
        return h;
      }
  }
  for (const FrameBox &f : v.frames) {
    if (!f.rect.contains(p))
      continue;
    for (const FilterBox &b : f.filters)
      if (b.rect.contains(p)) {
        h.kind = Hit::Kind::filter;
        h.driver = b.driver;
        h.frame = f.id;
        return h;
      }
    h.kind = Hit::Kind::frame;
    h.frame = f.id;
    return h;
  }
  for (const LegacyBlock &l : v.legacy)
    if (l.rect.contains(p)) {
      h.kind = Hit::Kind::legacy;
      h.driver = l.driver;
      return h;
    }
  if (v.file_system.contains(p)) {
    h.kind = Hit::Kind::file_system;
    return h;
  }
  if (v.axis.enabled && v.axis.area.contains(p))
    for (std::size_t i = 0; i < v.axis.groups.size(); ++i) {
      const AxisGroupBand &g = v.axis.groups[i];
      if (p.y >= g.y_top && p.y <= g.y_bottom) {
        h.kind = Hit::Kind::axis_group;
        h.index = i;
        return h;
      }
    }
  return h;
}

std::string tooltip_of(const StackView &v, const Hit &h) {
  switch (h.kind) {
  case Hit::Kind::none:
    return {};
  case Hit::Kind::connector:
    return v.connectors[h.index].tooltip;
  case Hit::Kind::filter:
    if (const FilterBox *f = v.find_filter(h.driver))
      return f->tooltip;
    return {};
  case Hit::Kind::legacy:
    if (const LegacyBlock *l = v.find_legacy(h.driver))
      return l->tooltip;
    return {};
  case Hit::Kind::frame:
    if (const FrameBox *f = v.find_frame(h.frame))
      return f->tooltip;
    return {};
  case Hit::Kind::file_system:
    return "The file system (e.g. NTFS). I/O enters at the top of the stack and travels down.";
  case Hit::Kind::axis_group: {
    const AxisGroupBand &g = v.axis.groups[h.index];
    const sim::GroupInfo *info = sim::find_group(g.group);
    return g.group + (info ? ": documented range " + std::string(info->low) + " " + kDash + " " +
                                 std::string(info->high)
                           : std::string());
  }
  }
  return {};
}

} // namespace fltsim::viewer
