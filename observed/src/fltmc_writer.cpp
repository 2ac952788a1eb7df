// `fltmc filters` and `fltmc instances` writers (docs/model.md#output-formats), beside their
// reader (observed.cpp): see fltsim/manifest/observed.hpp.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fltsim/io/text.hpp"
#include "fltsim/observed/observed.hpp"

namespace fltsim::observed {

using sim::Frame;
using sim::FrameFilter;
using sim::SimResult;
using sim::StackEntry;

using io::pad_left;
using io::pad_right;

namespace {
// Every minifilter of every frame with its frame's number, highest altitude first: the order
// `fltmc filters` and `fltmc instances` list them in (ties keep frame order).
std::vector<std::pair<const FrameFilter *, int>> minifilters_by_altitude(const SimResult &r) {
  std::vector<std::pair<const FrameFilter *, int>> minis;
  for (const Frame &f : r.frames)
    for (const FrameFilter &ff : f.filters)
      minis.emplace_back(&ff, f.id);
  std::stable_sort(minis.begin(), minis.end(), [](const auto &a, const auto &b) {
    return b.first->altitude < a.first->altitude;
  });
  return minis;
}
} // namespace

std::string format_fltmc_filters(const std::vector<FltmcFilterRow> &rows) {
  // Column layout of real `fltmc filters` output (public captures): name 30 + 2, count
  // right-aligned to column 41, altitude to column 54, frame to column 64.
  std::string out = "Filter Name                     Num Instances    Altitude    Frame\n"
                    "------------------------------  -------------  ------------  -----\n";
  for (const FltmcFilterRow &f : rows) {
    if (!f.frame) { // a legacy filter: no instance count, "<Legacy>" for the frame
      out += pad_right(f.name, 32) + std::string(9, ' ') + pad_left(f.altitude, 13) +
             "      <Legacy>\n";
      continue;
    }
    out += pad_right(f.name, 32) + pad_left(std::to_string(f.instances), 9) +
           pad_left(f.altitude, 13) + pad_left(std::to_string(*f.frame), 10) + "\n";
  }
  return out;
}

std::string write_fltmc_filters(const sim::Scenario &, const SimResult &r) {
  std::vector<FltmcFilterRow> rows;
  for (auto e = r.stack.rbegin(); e != r.stack.rend(); ++e)
    if (e->kind == StackEntry::Kind::legacy)
      rows.push_back({e->name, 0, e->altitude ? e->altitude->text() : "", std::nullopt});
  for (const auto &[ff, frame] : minifilters_by_altitude(r))
    rows.push_back({ff->name, static_cast<int>(ff->attached.size()), ff->altitude.text(), frame});
  return format_fltmc_filters(rows);
}

std::string format_fltmc_instances(const std::vector<FltmcInstanceRow> &rows) {
  // Column starts of real `fltmc instances` output (public captures): filter 0, volume 22,
  // altitude ending at 70, instance name 75, frame ending at 102, SprtFtrs 107, VlStatus 117.
  std::string out =
      "Filter                Volume Name                              Altitude        "
      "Instance Name       Frame   SprtFtrs  VlStatus\n"
      "--------------------  -------------------------------------  ------------  "
      "----------------------  -----   --------  --------\n";
  for (const FltmcInstanceRow &r : rows) {
    std::string line = pad_right(r.filter, 20) + "  " + pad_right(r.volume, 37) + "  ";
    line += pad_left(r.altitude, 9) + "     " + pad_right(r.instance, 22) + "  ";
    line += r.frame ? pad_left(std::to_string(*r.frame), 3) + "     " : std::string("<Legacy> ");
    line += r.features;
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string write_fltmc_instances(const sim::Scenario &sc, const SimResult &r) {
  std::vector<FltmcInstanceRow> rows;
  auto volume_text = [](const std::string &v) { return v.empty() ? std::string("C:") : v; };
  auto row = [&](const std::string &filter, const std::string &volume, const std::string &alt,
                 const std::string &inst, std::optional<int> frame, const char *features) {
    rows.push_back({filter, volume_text(volume), alt, inst, frame, features});
  };
  // Per volume (docs/model.md#volume-policies): legacy rows only where the filter is attached.
  // Scenarios that declare volume classes are listed volume by volume, each stack top first;
  // others keep fltmc's order (legacy filters, then minifilters by descending altitude).
  auto legacy_on = [&](const StackEntry &e, const std::string &volume) {
    for (const sim::VolumeStack &vs : r.volumes)
      if (vs.volume == volume)
        for (const auto &f : vs.filters)
          if (f.kind == StackEntry::Kind::legacy && f.driver == e.driver)
            return true;
    return r.volumes.empty(); // a result without volume stacks: attached everywhere
  };
  if (!sc.volume_specs.empty()) {
    for (const sim::VolumeStack &vs : r.volumes)
      for (auto f = vs.filters.rbegin(); f != vs.filters.rend(); ++f) {
        if (f->kind == StackEntry::Kind::legacy) {
          row(f->name, vs.volume, "", "", std::nullopt, "00000000");
          continue;
        }
        const auto &d = sc.drivers[static_cast<std::size_t>(f->driver)];
        const auto &inst = d.instances[static_cast<std::size_t>(f->instance)];
        row(f->name, vs.volume, inst.altitude.text(), inst.name, f->frame, "00000003");
      }
    return format_fltmc_instances(rows);
  }
  std::vector<std::string> volumes = sc.volumes;
  if (volumes.empty())
    volumes.emplace_back();
  for (auto e = r.stack.rbegin(); e != r.stack.rend(); ++e)
    if (e->kind == StackEntry::Kind::legacy)
      for (const auto &v : volumes)
        if (legacy_on(*e, v))
          row(e->name, v, "", "", std::nullopt, "00000000");
  const auto minis = minifilters_by_altitude(r);
  for (const auto &[ff, frame] : minis) {
    const auto &d = sc.drivers[static_cast<std::size_t>(ff->driver)];
    for (const auto &at : ff->attached) {
      const auto &inst = d.instances[static_cast<std::size_t>(at.instance)];
      row(ff->name, at.volume, inst.altitude.text(), inst.name, frame, "00000003");
    }
  }
  return format_fltmc_instances(rows);
}

} // namespace fltsim::observed
