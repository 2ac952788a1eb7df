#include "fltsim/viewer/drivers_table.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/findings.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::viewer {

const char *to_string(DriverField f) {
  switch (f) {
  case DriverField::kind:
    return "kind";
  case DriverField::group:
    return "group";
  case DriverField::start:
    return "start";
  case DriverField::tag:
    return "tag";
  case DriverField::altitude:
    return "altitude";
  }
  return "?";
}

std::vector<DriverRow> build_driver_rows(const sim::Scenario &sc, const sim::SimResult &r) {
  std::set<std::string> inverted;
  for (const sim::Finding &f : r.findings)
    if (f.code == sim::rule::altitude_inversion || f.code == sim::rule::legacy_order_inversion)
      inverted.insert(f.drivers.begin(), f.drivers.end());
  // Where each driver is on the stack shown (which may be an earlier step than the end).
  std::vector<std::string> frame_of(sc.drivers.size());
  for (const sim::Frame &f : r.frames)
    for (const sim::FrameFilter &ff : f.filters)
      if (ff.driver >= 0 && static_cast<std::size_t>(ff.driver) < frame_of.size())
        frame_of[static_cast<std::size_t>(ff.driver)] = std::to_string(f.id);
  for (const sim::StackEntry &e : r.stack)
    if (e.kind == sim::StackEntry::Kind::legacy && e.driver >= 0 &&
        static_cast<std::size_t>(e.driver) < frame_of.size()) {
      std::string &slot = frame_of[static_cast<std::size_t>(e.driver)];
      slot = slot.empty() ? "<Legacy>" : slot + " + <Legacy>"; // kind both: frame and legacy
    }

  std::vector<DriverRow> rows;
  rows.reserve(sc.drivers.size());
  for (std::size_t i = 0; i < sc.drivers.size(); ++i) {
    const sim::Driver &d = sc.drivers[i];
    DriverRow row;
    row.driver = static_cast<int>(i);
    row.name = d.name;
    row.kind = sim::to_string(d.kind);
    row.group = d.group.value_or("");
    row.start = sim::to_string(d.start);
    row.tag = d.tag ? std::to_string(*d.tag) : "";
    if (d.is_minifilter()) {
      const sim::Instance *def = d.find_default_instance();
      row.altitude = def ? def->altitude.text() : "";
    } else {
      const auto alt = d.group ? sim::legacy_altitude_for_group(*d.group) : std::nullopt;
      row.altitude = alt ? alt->text() : "";
      row.altitude_editable = false;
    }
    row.frame = frame_of[i];
    row.loaded = i < r.drivers.size() && r.drivers[i].loaded;
    row.inverted = inverted.count(d.name) > 0;
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace {

std::string trim(const std::string &s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos)
    return {};
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

} // namespace

std::optional<std::string> apply_driver_edit(sim::Scenario &sc, int driver, DriverField field,
                                             const std::string &raw) {
  if (driver < 0 || static_cast<std::size_t>(driver) >= sc.drivers.size())
    return "no such driver";
  sim::Driver &d = sc.drivers[static_cast<std::size_t>(driver)];
  const std::string value = trim(raw);
  switch (field) {
  case DriverField::kind: {
    const auto k = sim::parse_driver_kind(value);
    if (!k)
      return "kind must be minifilter, legacy or both";
    if (*k == sim::DriverKind::legacy) {
      d.instances.clear(); // a legacy filter has no instances (docs/model.md#legacy-altitudes)
      d.default_instance.reset();
    } else if (d.instances.empty()) {
      const sim::GroupInfo *g = d.group ? sim::find_group(*d.group) : nullptr;
      const auto alt = g && !g->low.empty() ? sim::Altitude::parse(g->low) : std::nullopt;
      if (!alt)
        return "a minifilter needs an altitude; give " + d.name +
               " a documented FSFilter group first, then change the altitude";
      d.instances.push_back({d.name + " Instance", *alt, 0, {}, {}});
      d.default_instance = d.instances.back().name;
    }
    d.kind = *k;
    return std::nullopt;
  }
  case DriverField::group:
    if (value.empty())
      d.group.reset();
    else
      d.group = value;
    return std::nullopt;
  case DriverField::start: {
    const auto s = sim::parse_start_type(value);
    if (!s)
      return "start must be boot, system, auto, demand, disabled or 0-4";
    d.start = *s;
    return std::nullopt;
  }
  case DriverField::tag: {
    if (value.empty()) {
      d.tag.reset();
      return std::nullopt;
    }
    std::uint32_t t = 0;
    const auto res = std::from_chars(value.data(), value.data() + value.size(), t);
    if (res.ec != std::errc() || res.ptr != value.data() + value.size())
      return "tag must be empty or a whole number from 0 to 4294967295";
    d.tag = t;
    return std::nullopt;
  }
  case DriverField::altitude: {
    if (!d.is_minifilter())
      return d.name + " is a legacy filter: its altitude comes from its load order group "
                      "(docs/model.md#legacy-altitudes); "
                      "change the group instead";
    sim::Diagnostic why;
    const auto a = sim::Altitude::parse(value, &why);
    if (!a)
      return why.message.empty() ? "not a valid altitude" : why.message;
    sim::Instance *def = nullptr;
    for (sim::Instance &i : d.instances)
      if (d.default_instance && sim::iequals(i.name, *d.default_instance))
        def = &i;
    if (!def) {
      d.instances.push_back({d.name + " Instance", *a, 0, {}, {}});
      d.default_instance = d.instances.back().name;
    } else {
      def->altitude = *a;
    }
    return std::nullopt;
  }
  }
  return "unknown field";
}

} // namespace fltsim::viewer
