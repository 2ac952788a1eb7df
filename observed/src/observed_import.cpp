// Observed stack -> scenario (import) and prediction vs observation (compare).
#include "fltsim/observed/observed_import.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "fltsim/sim/allocated.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::observed {

namespace {

/// One filter as an observation shows it, whatever the listing kind.
struct SeenFilter {
  std::string name;
  bool legacy = false;
  std::optional<sim::Altitude> altitude;
  std::optional<int> frame;
  std::optional<int> instances;
  int line = 0;
  bool altitude_known = true; ///< false: pre-Vista listing, the altitude came from elsewhere
};

/// A driver listed once as a legacy filter and once as a minifilter: one `kind: both` driver
/// (docs/model.md#kind-both).
struct BothDriver {
  std::optional<sim::Altitude> legacy_altitude; ///< from its legacy row, if shown
  int legacy_line = 0;
};

struct SeenStack {
  ObservedKind kind = ObservedKind::fltmc_filters;
  std::vector<SeenFilter> filters;
  std::vector<ObservedFrame> frames; ///< with ranges (fltkd.frames only)
  bool legacy_visible = false;       ///< fltmc lists legacy filters; !fltkd.frames does not
  int frame_count = 0;
  int line = 0;                   ///< first line of the listing
  std::vector<std::string> notes; ///< several runs: what they share, where they differ
};

bool usable_kind(ObservedKind k) {
  return k == ObservedKind::fltkd_frames || k == ObservedKind::fltmc_filters ||
         k == ObservedKind::ntobject_filters || k == ObservedKind::fltkd_filters ||
         k == ObservedKind::fltmc_instances;
}

/// The filters of a `fltmc instances` listing: one per filter name, with the frame, altitude and
/// kind of its first row and its count of (non-legacy) rows.
std::vector<SeenFilter> filters_from_instances(const ObservedSection &s) {
  std::vector<SeenFilter> out;
  std::map<std::string, std::size_t> index;
  for (const ObservedInstance &in : s.instances) {
    // By name and kind: a `kind: both` driver has legacy rows and minifilter rows.
    const std::string key = sim::ascii_lower(in.filter) + (in.legacy ? "|legacy" : "|mini");
    auto it = index.find(key);
    if (it == index.end()) {
      index[key] = out.size();
      out.push_back({in.filter, in.legacy, in.altitude, in.frame,
                     in.legacy ? std::nullopt : std::optional<int>(0), in.line, true});
      it = index.find(key);
    }
    SeenFilter &f = out[it->second];
    if (!in.legacy)
      f.instances = f.instances.value_or(0) + 1;
  }
  return out;
}

/// A complete listing as one observation.
SeenStack seen_of(const ObservedSection &s) {
  const ObservedKind kind = s.kind;
  SeenStack v;
  v.line = s.line;
  v.kind = kind;
  v.legacy_visible = kind == ObservedKind::fltmc_filters ||
                     kind == ObservedKind::ntobject_filters ||
                     kind == ObservedKind::fltmc_instances;
  int max_frame = -1;
  if (kind == ObservedKind::fltkd_frames || kind == ObservedKind::fltkd_filters) {
    if (kind == ObservedKind::fltkd_frames)
      v.frames = s.frames;
    for (const ObservedFrame &f : s.frames) {
      max_frame = std::max(max_frame, f.id);
      for (const ObservedFilter &ff : f.filters)
        v.filters.push_back({ff.name, false, ff.altitude, f.id, ff.num_instances, ff.line, true});
    }
  } else {
    if (kind == ObservedKind::fltmc_instances) {
      v.filters = filters_from_instances(s);
    } else {
      for (const ObservedFilter &ff : s.filters)
        v.filters.push_back(
            {ff.name, ff.legacy, ff.altitude, ff.frame, ff.num_instances, ff.line, true});
    }
    for (const SeenFilter &f : v.filters)
      if (f.frame)
        max_frame = std::max(max_frame, *f.frame);
  }
  if (s.pre_vista) {
    // Pre-Vista fltmc shows no altitudes: take the allocated one of the driver, if listed.
    for (SeenFilter &f : v.filters) {
      f.altitude_known = false;
      if (f.legacy)
        continue;
      const auto rows = sim::builtin_allocated_altitudes().by_driver(f.name);
      if (!rows.empty())
        f.altitude = rows.front()->altitude;
    }
  }
  v.frame_count = max_frame + 1;
  return v;
}

std::string seen_key(const SeenFilter &f) {
  return sim::ascii_lower(f.name) + (f.legacy ? " <Legacy>" : "");
}

/// Several runs of one listing in a paste are successive observations of one machine: the last
/// run is the observation; the runs are compared, and what differs between them is said (a
/// difference, not an error).
void compare_runs(std::vector<SeenStack> &runs) {
  SeenStack &last = runs.back();
  std::string lines;
  for (const SeenStack &r : runs)
    lines += (lines.empty() ? "" : ", ") + std::to_string(r.line);
  bool same = true;
  std::vector<std::string> changes;
  for (std::size_t k = 1; k < runs.size(); ++k) {
    const SeenStack &a = runs[k - 1];
    const SeenStack &b = runs[k];
    std::map<std::string, const SeenFilter *> before, after;
    for (const SeenFilter &f : a.filters)
      before.emplace(seen_key(f), &f);
    for (const SeenFilter &f : b.filters)
      after.emplace(seen_key(f), &f);
    const std::string between = "between the runs at lines " + std::to_string(a.line) + " and " +
                                std::to_string(b.line) + ": ";
    for (const auto &[key, f] : before) {
      const auto it = after.find(key);
      if (it == after.end()) {
        changes.push_back(between + f->name + " is gone");
        same = false;
        continue;
      }
      const SeenFilter &g = *it->second;
      const auto alt = [](const SeenFilter &x) {
        return x.altitude ? x.altitude->text() : std::string("(none)");
      };
      if (alt(*f) != alt(g)) {
        changes.push_back(between + f->name + " moved from altitude " + alt(*f) + " to " + alt(g));
        same = false;
      }
      if (f->frame != g.frame) {
        changes.push_back(between + f->name + " moved from Frame " +
                          std::to_string(f->frame.value_or(-1)) + " to Frame " +
                          std::to_string(g.frame.value_or(-1)));
        same = false;
      }
      if (f->instances != g.instances && f->instances && g.instances)
        changes.push_back(between + f->name + " went from " + std::to_string(*f->instances) +
                          " to " + std::to_string(*g.instances) + " instance(s)");
    }
    for (const auto &[key, g] : after)
      if (!before.count(key)) {
        changes.push_back(between + g->name + " is new");
        same = false;
      }
  }
  const std::string what =
      std::to_string(runs.size()) + " runs of `" + to_string(last.kind) + "` (lines " + lines + ")";
  if (same)
    last.notes.push_back(what + " show the same filters and frames: one observation of one "
                                "machine; instance counts are those of the last run");
  else
    last.notes.push_back(what +
                         " differ (a difference between successive observations, not an "
                         "error); the scenario is imported from the last run, at line " +
                         std::to_string(last.line));
  for (std::string &c : changes)
    last.notes.push_back(std::move(c));
}

// Only complete listings are used: a truncated one would give a wrong answer, not a partial one.
/// The listings import and compare use, in their order of preference.
constexpr ObservedKind kPickOrder[] = {ObservedKind::fltkd_frames, ObservedKind::fltmc_filters,
                                       ObservedKind::ntobject_filters, ObservedKind::fltkd_filters,
                                       ObservedKind::fltmc_instances};

/// A complete listing of `kind` that shows frames.
bool complete_listing(const ObservedSection &s, ObservedKind kind) {
  if (s.kind != kind || s.truncated)
    return false;
  // FLT_FILTER lines without "Frame N" lists: frames unknown.
  return kind != ObservedKind::fltkd_filters || !s.frames.empty();
}

/// The section pick_listing takes: the last complete listing of the first kind that has one.
const ObservedSection *listing_to_use(const ObservedStack &o) {
  for (ObservedKind kind : kPickOrder)
    for (auto it = o.sections.rbegin(); it != o.sections.rend(); ++it)
      if (complete_listing(*it, kind))
        return &*it;
  return nullptr;
}

std::optional<SeenStack> pick_listing(const ObservedStack &o, const std::string &source,
                                      std::vector<sim::Diagnostic> &errors) {
  for (ObservedKind kind : kPickOrder) {
    std::vector<SeenStack> runs;
    for (const ObservedSection &s : o.sections)
      if (complete_listing(s, kind))
        runs.push_back(seen_of(s));
    if (runs.empty())
      continue;
    if (runs.size() > 1)
      compare_runs(runs);
    return std::move(runs.back());
  }
  for (const ObservedSection &s : o.sections)
    if (usable_kind(s.kind) && s.truncated) {
      std::string why = std::string("the ") + to_string(s.kind) + " listing at line " +
                        std::to_string(s.line) +
                        " is incomplete (partial input); a complete listing is needed";
      for (const std::string &n : s.notes)
        why += "; " + n;
      errors.push_back(sim::make_diagnostic({source, s.line, 0}, "observed-partial", why));
      return std::nullopt;
    }
  std::string why = "no fltmc or !fltkd listing found";
  if (!o.sections.empty()) {
    why = "no listing that shows frames (`fltmc filters`, `fltmc instances`, `!fltkd.frames`, "
          "`!fltkd.filters` with \"Frame N\" lists, Get-FilterDriver) found; ";
    why += std::string("the ") + to_string(o.sections.front().kind) + " listing at line " +
           std::to_string(o.sections.front().line) + " does not give them";
  }
  for (const std::string &n : o.notes)
    why += "; " + n;
  errors.push_back(sim::make_diagnostic(
      {source, o.sections.empty() ? 0 : o.sections.front().line, 0}, "observed-unrecognized", why));
  return std::nullopt;
}

/// The order minifilters register in, from the trace.
std::vector<std::string> registration_order(const sim::SimResult &r) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const sim::TraceStep &t : r.trace)
    if (t.kind == sim::TraceEvent::register_filter && !t.driver.empty() &&
        seen.insert(sim::ascii_lower(t.driver)).second)
      out.push_back(t.driver);
  return out;
}

/// Pairs of filters registered one after the other in `observed` that `predicted` orders the
/// other way round (names in both lists only).
std::vector<std::pair<std::string, std::string>>
order_inversions(const std::vector<std::string> &predicted,
                 const std::vector<std::string> &observed) {
  std::map<std::string, std::size_t> pos;
  for (std::size_t i = 0; i < predicted.size(); ++i)
    pos.emplace(sim::ascii_lower(predicted[i]), i);
  std::vector<std::string> common;
  for (const std::string &n : observed)
    if (pos.count(sim::ascii_lower(n)))
      common.push_back(n);
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 1; i < common.size() && out.size() < 20; ++i)
    if (pos[sim::ascii_lower(common[i - 1])] > pos[sim::ascii_lower(common[i])])
      out.emplace_back(common[i - 1], common[i]);
  return out;
}

const sim::GroupInfo *group_for_minifilter(const sim::Altitude &a) {
  for (const sim::GroupInfo &g : sim::documented_groups())
    if (sim::Altitude::from_literal(g.low) <= a && a <= sim::Altitude::from_literal(g.high))
      return &g;
  return nullptr;
}

const sim::GroupInfo *group_for_legacy(const sim::Altitude &a) {
  for (const sim::GroupInfo &g : sim::documented_groups())
    if (!g.legacy_altitude.empty() && sim::Altitude::from_literal(g.legacy_altitude) == a)
      return &g;
  return nullptr;
}

std::map<std::string, int> predicted_frames(const sim::SimResult &r) {
  std::map<std::string, int> out;
  for (const sim::Frame &f : r.frames)
    for (const sim::FrameFilter &ff : f.filters)
      out[sim::ascii_lower(ff.name)] = f.id;
  return out;
}

} // namespace

std::vector<sim::Diagnostic> unused_partial_listings(const ObservedStack &o,
                                                     const std::string &source) {
  std::vector<sim::Diagnostic> out;
  const ObservedSection *used = listing_to_use(o);
  if (!used)
    return out;
  for (const ObservedSection &s : o.sections) {
    if (!usable_kind(s.kind) || !s.truncated)
      continue;
    std::string why = std::string("the ") + to_string(s.kind) + " listing at line " +
                      std::to_string(s.line) + " is incomplete (partial input) and is not used; " +
                      "the " + to_string(used->kind) + " listing at line " +
                      std::to_string(used->line) + " is";
    for (const std::string &n : s.notes)
      why += "; " + n;
    out.push_back(sim::make_warning({source, s.line, 0}, "observed-partial", std::move(why)));
  }
  return out;
}

std::string filter_owner(std::string_view name, const std::optional<sim::Altitude> &altitude) {
  const auto rows = sim::builtin_allocated_altitudes().by_driver(name);
  if (rows.empty())
    return {};
  const sim::AllocatedAltitude *row = rows.front();
  bool at_its_altitude = false;
  for (const sim::AllocatedAltitude *r : rows)
    if (altitude && r->altitude == *altitude) {
      row = r;
      at_its_altitude = true;
    }
  std::string owner = row->company + ", " + row->group;
  // Named by its driver name, not by where it was seen: say so when the two differ (a renamed
  // or reused service name, a test build at another altitude).
  if (altitude && !at_its_altitude)
    owner += " (the list allocates " + std::string(name) + " " + row->altitude.text() +
             (rows.size() > 1 ? " and other altitudes" : "") + ", not " + altitude->text() + ")";
  return owner;
}

std::string describe_filter(std::string_view name, const std::optional<sim::Altitude> &altitude) {
  const std::string owner = filter_owner(name, altitude);
  return owner.empty() ? std::string(name) : std::string(name) + " \xE2\x80\x94 " + owner;
}

const char *to_string(DifferenceKind k) {
  switch (k) {
  case DifferenceKind::not_predicted:
    return "not-predicted";
  case DifferenceKind::not_observed:
    return "not-observed";
  case DifferenceKind::kind:
    return "kind";
  case DifferenceKind::altitude:
    return "altitude";
  case DifferenceKind::frame:
    return "frame";
  case DifferenceKind::instances:
    return "instances";
  case DifferenceKind::frame_count:
    return "frame-count";
  case DifferenceKind::frame_range:
    return "frame-range";
  case DifferenceKind::order:
    return "order";
  }
  return "?";
}

// import_observed and compare_observed start alike (pick the listing, keep its kind) and then
// differ: one builds a scenario from the listing, the other matches the listing to a simulation.
ImportResult import_observed(const ObservedStack &observed, const std::string &source,
                             const ImportOptions &options) {
  ImportResult res;
  auto seen = pick_listing(observed, source, res.errors);
  if (!seen)
    return res;
  res.source_kind = seen->kind;
  for (const std::string &n : seen->notes)
    res.assumptions.push_back(n);
  for (const std::string &n : observed.presentation)
    res.assumptions.push_back("capture presentation, " + n);
  if (seen->filters.empty()) {
    res.errors.push_back(sim::make_diagnostic({source, seen->line, 0}, "observed-empty",
                                              std::string("the ") + to_string(seen->kind) +
                                                  " listing at line " + std::to_string(seen->line) +
                                                  " has no filters"));
    return res;
  }
  if (seen->filters.size() > max_import_filters) {
    res.errors.push_back(sim::make_diagnostic(
        {source, seen->filters[max_import_filters].line, 0}, "limit",
        "the " + std::string(to_string(seen->kind)) + " listing has " +
            std::to_string(seen->filters.size()) + " filters; import reads at most " +
            std::to_string(max_import_filters)));
    return res;
  }
  for (const SeenFilter &f : seen->filters) {
    res.filters.push_back(
        {f.name, filter_owner(f.name, f.altitude), f.legacy, f.frame, f.altitude});
    if (!f.altitude_known && !f.legacy && f.altitude)
      res.assumptions.push_back(f.name + ": altitude " + f.altitude->text() +
                                " from the allocated-altitude list (the pre-Vista listing shows "
                                "none)");
  }
  if (seen->kind == ObservedKind::fltmc_instances)
    res.assumptions.push_back("filters come from `fltmc instances`: a minifilter attached to no "
                              "volume is not in that listing");

  // Instance counts need volumes: fltmc shows counts, not names, so placeholders stand in. A
  // count no machine shows (a garbled or merged cell) is refused rather than turned into that
  // many placeholder volumes.
  constexpr int max_importable_instances = 1024;
  for (const SeenFilter &f : seen->filters)
    if (!f.legacy && f.instances && *f.instances > max_importable_instances) {
      res.errors.push_back(sim::make_diagnostic(
          {source, f.line, 0}, "observed-instances",
          f.name + " shows " + std::to_string(*f.instances) + " instances; import reads at most " +
              std::to_string(max_importable_instances) +
              " per filter (is the Num Instances cell merged with the next one?)"));
      return res;
    }
  int max_instances = 1;
  bool need_volumes = false;
  for (const SeenFilter &f : seen->filters)
    if (!f.legacy && f.instances) {
      max_instances = std::max(max_instances, *f.instances);
      need_volumes = need_volumes || *f.instances != 1;
    }
  sim::Scenario sc;
  sc.title = "Imported from " + source + " (" + to_string(seen->kind) + ")";
  if (need_volumes) {
    for (int i = 1; i <= max_instances; ++i)
      sc.volumes.push_back("Volume" + std::to_string(i));
    res.assumptions.push_back("volumes Volume1..Volume" + std::to_string(max_instances) +
                              " are placeholders: the listing shows instance counts, not volume "
                              "names; each minifilter attaches to as many as it had instances");
  }

  // A name listed once as a legacy filter and once as a minifilter is one driver of kind both
  // (docs/model.md#kind-both): the minifilter row gives its instances and frame, the legacy row
  // (or its group's x9998.99) its legacy altitude.
  std::map<std::string, BothDriver> both;
  std::vector<SeenFilter> order;
  {
    std::map<std::string, std::vector<std::size_t>> by_name;
    for (std::size_t i = 0; i < seen->filters.size(); ++i)
      by_name[sim::ascii_lower(seen->filters[i].name)].push_back(i);
    for (std::size_t i = 0; i < seen->filters.size(); ++i) {
      const SeenFilter &f = seen->filters[i];
      const auto &same = by_name[sim::ascii_lower(f.name)];
      if (same.size() == 2) {
        const SeenFilter &a = seen->filters[same[0]];
        const SeenFilter &b = seen->filters[same[1]];
        if (a.legacy != b.legacy) {
          const SeenFilter &legacy = a.legacy ? a : b;
          if (f.legacy)
            continue; // folded into the minifilter row
          both[sim::ascii_lower(f.name)] = {legacy.altitude, legacy.line};
        }
      }
      order.push_back(f);
    }
  }

  // Manifest order: by observed frame, then altitude; legacy filters after the minifilters.
  std::stable_sort(order.begin(), order.end(), [](const SeenFilter &a, const SeenFilter &b) {
    if (a.legacy != b.legacy)
      return !a.legacy;
    if (a.frame.value_or(0) != b.frame.value_or(0))
      return a.frame.value_or(0) < b.frame.value_or(0);
    if (a.altitude && b.altitude)
      return *a.altitude < *b.altitude;
    return false;
  });
  // With observed events, minifilters are installed in the order they registered.
  std::map<std::string, std::size_t> event_pos;
  for (std::size_t i = 0; i < options.load_order.size(); ++i)
    event_pos.emplace(sim::ascii_lower(options.load_order[i]), i);
  if (!event_pos.empty()) {
    std::stable_sort(order.begin(), order.end(), [&](const SeenFilter &a, const SeenFilter &b) {
      if (a.legacy || b.legacy)
        return false;
      const auto pa = event_pos.find(sim::ascii_lower(a.name));
      const auto pb = event_pos.find(sim::ascii_lower(b.name));
      const std::size_t ia = pa == event_pos.end() ? event_pos.size() : pa->second;
      const std::size_t ib = pb == event_pos.end() ? event_pos.size() : pb->second;
      return ia < ib;
    });
  }
  std::map<std::string, int> observed_frame;
  std::set<std::string> names; // lower-case, as Scenario::find_driver compares
  for (const SeenFilter &f : order) {
    if (!names.insert(sim::ascii_lower(f.name)).second) {
      res.errors.push_back(sim::make_diagnostic({source, f.line, 0}, "observed-duplicate",
                                                "filter '" + f.name + "' is listed twice"));
      return res;
    }
    sim::Driver d;
    d.name = f.name;
    d.start = sim::StartType::boot;
    d.location = {source, f.line, 1};
    if (f.legacy) {
      d.kind = sim::DriverKind::legacy;
      const sim::GroupInfo *g = f.altitude ? group_for_legacy(*f.altitude) : nullptr;
      if (g) {
        d.group = std::string(g->name);
      } else if (f.altitude) {
        if (const sim::GroupInfo *r = group_for_minifilter(*f.altitude))
          d.group = std::string(r->name);
        res.assumptions.push_back(f.name + ": legacy altitude " + f.altitude->text() +
                                  " is not an fltmgr group altitude (x9998.99); group guessed from "
                                  "its range");
      } else {
        res.assumptions.push_back(f.name + ": legacy filter without altitude: its group is "
                                           "FSFilter Infrastructure, none, or not in fltmgr's "
                                           "table; imported with no group");
      }
    } else {
      if (!f.altitude) {
        res.errors.push_back(
            sim::make_diagnostic({source, f.line, 0}, "observed-altitude",
                                 "minifilter '" + f.name + "' has no readable altitude"));
        return res;
      }
      d.kind = sim::DriverKind::minifilter;
      const auto b = both.find(sim::ascii_lower(f.name));
      const sim::GroupInfo *legacy_group = b != both.end() && b->second.legacy_altitude
                                               ? group_for_legacy(*b->second.legacy_altitude)
                                               : nullptr;
      if (b != both.end()) {
        // The legacy part of a `both` driver attaches at its group's fltmgr altitude (x9998.99,
        // docs/model.md#legacy-altitudes): the group comes from the legacy row when it shows one.
        d.kind = sim::DriverKind::both;
        const std::string legacy_text =
            b->second.legacy_altitude ? b->second.legacy_altitude->text() : std::string();
        if (legacy_group) {
          d.group = std::string(legacy_group->name);
          res.assumptions.push_back(f.name + ": listed as a legacy filter (line " +
                                    std::to_string(b->second.legacy_line) + ", " + legacy_text +
                                    ") and as a minifilter (line " + std::to_string(f.line) +
                                    "): one driver of kind both in group " + *d.group);
        } else {
          if (const sim::GroupInfo *g = group_for_minifilter(*f.altitude))
            d.group = std::string(g->name);
          res.assumptions.push_back(
              f.name + ": listed as a legacy filter (line " +
              std::to_string(b->second.legacy_line) +
              (legacy_text.empty() ? std::string(", no altitude shown")
                                   : ", " + legacy_text + ", not a group's x9998.99") +
              ") and as a minifilter (line " + std::to_string(f.line) +
              "): one driver of kind both; its group comes from its minifilter altitude (" +
              d.group.value_or("none") +
              "), and its legacy part attaches at that group's altitude");
        }
      } else if (const sim::GroupInfo *g = group_for_minifilter(*f.altitude)) {
        d.group = std::string(g->name);
      } else {
        res.assumptions.push_back(f.name + ": altitude " + f.altitude->text() +
                                  " is in no documented group range; imported with no group");
      }
      sim::Instance inst{f.name + " Instance", *f.altitude, 0, {}, {}};
      if (need_volumes) {
        const int n = f.instances.value_or(1);
        for (int i = 1; i <= n; ++i)
          inst.attach.push_back("Volume" + std::to_string(i));
        if (n == 0)
          inst.flags = 1; // registered, attached nowhere
      }
      d.instances.push_back(std::move(inst));
      d.default_instance = d.instances.back().name;
      observed_frame[sim::ascii_lower(f.name)] = f.frame.value_or(0);
    }
    sc.drivers.push_back(std::move(d));
  }

  // Move minifilters that land in the wrong frame to later start phases (boot -> system -> auto
  // -> demand with a load event), one step at a time, until the frames match.
  auto mismatched = [&](const sim::SimResult &r) -> int {
    const auto pf = predicted_frames(r);
    int first = -1, first_pos = 0;
    for (std::size_t i = 0; i < sc.drivers.size(); ++i) {
      const auto &d = sc.drivers[i];
      if (!d.is_minifilter())
        continue;
      auto it = pf.find(sim::ascii_lower(d.name));
      const int want = observed_frame[sim::ascii_lower(d.name)];
      if (it == pf.end() || it->second != want) {
        const int pos = r.drivers[i].load_position >= 0 ? r.drivers[i].load_position : 1 << 30;
        if (first < 0 || pos < first_pos) {
          first = static_cast<int>(i);
          first_pos = pos;
        }
      }
    }
    return first;
  };
  sim::SimOptions fast;
  fast.record_trace = false;
  fast.compute_findings = false;
  const std::size_t max_rounds = 4 * sc.drivers.size() + 4;
  for (std::size_t round = 0; round < max_rounds; ++round) {
    const sim::SimResult r = sim::simulate(sc, fast);
    const int bad = mismatched(r);
    if (bad < 0 && static_cast<int>(r.frames.size()) == std::max(seen->frame_count, 1)) {
      res.reproduces = true;
      break;
    }
    if (bad < 0) {
      res.mismatches.push_back("the observation has " + std::to_string(seen->frame_count) +
                               " frame(s) but the imported scenario gives " +
                               std::to_string(r.frames.size()) +
                               "; a frame boundary needs a legacy filter registered between "
                               "frames (R4), and none in the listing can be placed there");
      break;
    }
    sim::Driver &d = sc.drivers[static_cast<std::size_t>(bad)];
    if (d.start == sim::StartType::demand) {
      const auto pf = predicted_frames(r);
      auto it = pf.find(sim::ascii_lower(d.name));
      res.mismatches.push_back(
          d.name + " is observed in Frame " +
          std::to_string(observed_frame[sim::ascii_lower(d.name)]) +
          " but no start type tried "
          "puts it there (predicted: " +
          (it == pf.end() ? std::string("not registered") : "Frame " + std::to_string(it->second)) +
          ")");
      break;
    }
    d.start = static_cast<sim::StartType>(static_cast<int>(d.start) + 1);
    if (d.start == sim::StartType::demand)
      sc.events.push_back({sim::Event::Kind::load, d.name, {}});
  }
  bool from_events = false;
  if (!event_pos.empty()) {
    // The observed order: every minifilter of the events loads by an explicit load event in that
    // order. Kept when it reproduces both the frames and the order; otherwise the start types
    // found above stay and the order differences are listed.
    sim::Scenario ordered = sc;
    ordered.events.clear();
    for (const std::string &name : options.load_order) {
      const int di = ordered.find_driver(name);
      if (di < 0 || !ordered.drivers[static_cast<std::size_t>(di)].is_minifilter())
        continue;
      ordered.drivers[static_cast<std::size_t>(di)].start = sim::StartType::demand;
      ordered.events.push_back({sim::Event::Kind::load, name, {}});
    }
    for (const sim::Event &e : sc.events) // delayed drivers not in the events
      if (std::none_of(ordered.events.begin(), ordered.events.end(),
                       [&](const sim::Event &x) { return sim::iequals(x.driver, e.driver); }))
        ordered.events.push_back(e);
    sim::SimOptions traced;
    traced.compute_findings = false;
    const sim::SimResult ro = sim::simulate(ordered, traced);
    const bool frames_ok =
        mismatched(ro) < 0 && static_cast<int>(ro.frames.size()) == std::max(seen->frame_count, 1);
    if (frames_ok && order_inversions(registration_order(ro), options.load_order).empty()) {
      sc = std::move(ordered);
      res.reproduces = true;
      res.mismatches.clear();
      from_events = true;
      res.assumptions.push_back(
          "registration order from " + std::to_string(event_pos.size()) +
          " FilterManager event 6 record(s)" +
          (options.events_source.empty() ? std::string() : " in " + options.events_source) +
          ": those minifilters load by explicit load events in that order (start types are not "
          "shown)");
    } else {
      sim::SimOptions t2;
      t2.compute_findings = false;
      for (const auto &[a, b] :
           order_inversions(registration_order(sim::simulate(sc, t2)), options.load_order))
        res.order_mismatches.push_back(b + " registered after " + a +
                                       " (FilterManager events) but the imported scenario "
                                       "registers it first");
    }
  }
  // The frames' observed ranges (`!fltkd` prints them): a scenario that puts every filter in its
  // frame but gives a frame another range (a filter's altitude that its instances do not share,
  // an edited paste) does not reproduce the observation, and compare reports the range; import
  // must not claim otherwise (found by fuzz_observed).
  // Nor when two filters are listed at one altitude: Filter Manager attaches the first instance on
  // a volume and refuses the second (A4, docs/model.md#a4), so a listing that shows both attached
  // is not one machine's state (an edited or made-up paste, two captures merged). The imported
  // scenario then attaches fewer instances than the listing shows, and `compare` says so: import
  // must not claim that it reproduces the observation. One run answers both questions.
  if (res.reproduces) {
    sim::SimOptions with_findings;
    with_findings.record_trace = false;
    const sim::SimResult r = sim::simulate(sc, with_findings);
    for (const ObservedFrame &of : seen->frames) {
      if (of.id < 0 || of.id >= static_cast<int>(r.frames.size()) || !of.low || !of.high)
        continue;
      const sim::Frame &pf = r.frames[static_cast<std::size_t>(of.id)];
      if (pf.low == *of.low && pf.high == *of.high)
        continue;
      res.reproduces = false;
      res.mismatches.push_back(
          "Frame " + std::to_string(of.id) + " is observed as " + of.low->text() + " to " +
          of.high->text() + " but the imported scenario gives " + pf.low.text() + " to " +
          pf.high.text() + " (the altitudes listed do not account for the observed range)");
    }
    const bool ranges_match = res.reproduces;
    std::set<std::pair<std::string, std::string>> reported;
    for (const sim::Finding &f : r.findings) {
      if (!ranges_match || f.code != sim::rule::altitude_collision || f.drivers.size() < 2 ||
          !reported.emplace(f.drivers[1], f.drivers[0]).second)
        continue;
      const int di = sc.find_driver(f.drivers[0]);
      std::string altitude;
      if (di >= 0 && !f.instances.empty())
        for (const sim::Instance &in : sc.drivers[static_cast<std::size_t>(di)].instances)
          if (in.name == f.instances[0])
            altitude = in.altitude.text();
      res.reproduces = false;
      res.mismatches.push_back(
          f.drivers[1] + " and " + f.drivers[0] + " are both listed at altitude " + altitude +
          ": Filter Manager refuses a second instance at an altitude already taken on a volume "
          "(A4), so " +
          f.drivers[0] +
          " cannot be attached everywhere the listing shows it; the listing is not one "
          "machine's state (edited, or two captures merged?)");
    }
  }
  for (const sim::Driver &d : sc.drivers)
    if (d.start != sim::StartType::boot && !from_events)
      res.assumptions.push_back(d.name + ": start " + sim::to_string(d.start) +
                                " (assumed: it must load after the drivers before it to land in "
                                "its observed frame)");
  res.assumptions.push_back("every other start type is boot (an assumption: the listing does not "
                            "show start types); install order follows the " +
                            std::string(from_events ? "events" : "listing"));
  res.scenario = std::move(sc);
  return res;
}

Comparison compare_observed(const sim::Scenario &sc, const sim::SimResult &r,
                            const ObservedStack &observed, const std::string &source,
                            const CompareOptions &options) {
  Comparison c;
  auto seen = pick_listing(observed, source, c.errors);
  if (!seen)
    return c;
  c.observed_kind = seen->kind;
  struct Predicted {
    std::string name;
    bool legacy = false;
    std::optional<sim::Altitude> altitude;
    int frame = -1;
    int instances = 0;
  };
  std::map<std::string, Predicted> pred;
  // Keyed by name and kind: a `kind: both` driver is listed twice, as legacy and as minifilter.
  auto key_of = [](const std::string &name, bool legacy) {
    return sim::ascii_lower(name) + (legacy ? "|legacy" : "|mini");
  };
  for (const sim::StackEntry &e : r.stack)
    if (e.kind == sim::StackEntry::Kind::legacy)
      pred[key_of(e.name, true)] = {e.name, true, e.altitude, -1, 0};
  for (const sim::Frame &f : r.frames)
    for (const sim::FrameFilter &ff : f.filters)
      pred[key_of(ff.name, false)] = {ff.name, false, ff.altitude, f.id,
                                      static_cast<int>(ff.attached.size())};
  const bool volumes_modelled = !sc.volumes.empty();
  auto add = [&](DifferenceKind kind, std::string filter, std::string p, std::string o,
                 std::string msg, int line) {
    auto &to = kind == DifferenceKind::instances && !volumes_modelled ? c.notes : c.differences;
    to.push_back({kind, std::move(filter), std::move(p), std::move(o), std::move(msg), line});
  };
  std::map<std::string, std::optional<sim::Altitude>> seen_altitude;
  for (const SeenFilter &f : seen->filters)
    seen_altitude.emplace(sim::ascii_lower(f.name), f.altitude);
  auto who = [&](const std::string &name) {
    const auto it = seen_altitude.find(sim::ascii_lower(name));
    return describe_filter(name, it == seen_altitude.end() ? std::nullopt : it->second);
  };
  std::map<std::string, bool> matched;
  for (const SeenFilter &f : seen->filters) {
    std::string key = key_of(f.name, f.legacy);
    auto it = pred.find(key);
    if (it == pred.end()) {
      key = key_of(f.name, !f.legacy); // listed with the other kind?
      it = pred.find(key);
    }
    if (it == pred.end()) {
      add(DifferenceKind::not_predicted, f.name, "", f.legacy ? "legacy" : "minifilter",
          who(f.name) + " is on the observed stack but not in the prediction", f.line);
      continue;
    }
    matched[key] = true;
    const Predicted &p = it->second;
    if (p.legacy != f.legacy) {
      add(DifferenceKind::kind, f.name, p.legacy ? "legacy" : "minifilter",
          f.legacy ? "legacy" : "minifilter",
          who(f.name) + " is predicted as " + (p.legacy ? "a legacy filter" : "a minifilter") +
              " but observed as " + (f.legacy ? "a legacy filter" : "a minifilter"),
          f.line);
      continue;
    }
    const auto alt_text = [](const std::optional<sim::Altitude> &a) {
      return a ? a->text() : std::string("(none)");
    };
    if (f.altitude_known && (p.altitude.has_value() != f.altitude.has_value() ||
                             (p.altitude && f.altitude && !(*p.altitude == *f.altitude))))
      add(DifferenceKind::altitude, f.name, alt_text(p.altitude), alt_text(f.altitude),
          who(f.name) + " is predicted at " + alt_text(p.altitude) + " but observed at " +
              alt_text(f.altitude),
          f.line);
    if (!f.legacy && f.frame && p.frame != *f.frame)
      add(DifferenceKind::frame, f.name, std::to_string(p.frame), std::to_string(*f.frame),
          who(f.name) + " is predicted in Frame " + std::to_string(p.frame) +
              " but observed in Frame " + std::to_string(*f.frame),
          f.line);
    if (!f.legacy && f.instances && p.instances != *f.instances)
      add(DifferenceKind::instances, f.name, std::to_string(p.instances),
          std::to_string(*f.instances),
          who(f.name) + " is predicted with " + std::to_string(p.instances) +
              " instance(s) but observed with " + std::to_string(*f.instances),
          f.line);
  }
  for (const auto &[key, p] : pred) {
    if (matched.count(key) || (p.legacy && !seen->legacy_visible))
      continue;
    add(DifferenceKind::not_observed, p.name, p.legacy ? "legacy" : "minifilter", "",
        who(p.name) + " is predicted on the stack but not in the observation", 0);
  }
  const int predicted_frames_count = static_cast<int>(r.frames.size());
  if (seen->frame_count > 0 && predicted_frames_count != seen->frame_count)
    add(DifferenceKind::frame_count, "", std::to_string(predicted_frames_count),
        std::to_string(seen->frame_count),
        "the prediction has " + std::to_string(predicted_frames_count) +
            " frame(s), the observation " + std::to_string(seen->frame_count),
        0);
  for (const ObservedFrame &of : seen->frames) {
    if (of.id < 0 || of.id >= predicted_frames_count || !of.low || !of.high)
      continue;
    const sim::Frame &pf = r.frames[static_cast<std::size_t>(of.id)];
    if (!(pf.low == *of.low) || !(pf.high == *of.high))
      add(DifferenceKind::frame_range, "Frame " + std::to_string(of.id),
          pf.low.text() + " to " + pf.high.text(), of.low->text() + " to " + of.high->text(),
          "Frame " + std::to_string(of.id) + " is predicted as " + pf.low.text() + " to " +
              pf.high.text() + " but observed as " + of.low->text() + " to " + of.high->text(),
          of.line);
  }
  // Legacy filters: fltmc lists them top of the stack first (docs/model.md#output-formats).
  if (seen->kind == ObservedKind::fltmc_filters || seen->kind == ObservedKind::ntobject_filters) {
    std::vector<std::string> predicted_legacy, observed_legacy;
    std::set<std::string> in_both;
    for (const SeenFilter &f : seen->filters)
      if (f.legacy && pred.count(key_of(f.name, true)))
        in_both.insert(sim::ascii_lower(f.name));
    for (auto e = r.stack.rbegin(); e != r.stack.rend(); ++e)
      if (e->kind == sim::StackEntry::Kind::legacy && in_both.count(sim::ascii_lower(e->name)))
        predicted_legacy.push_back(sim::ascii_lower(e->name));
    int first_line = 0;
    for (const SeenFilter &f : seen->filters)
      if (f.legacy && in_both.count(sim::ascii_lower(f.name))) {
        observed_legacy.push_back(sim::ascii_lower(f.name));
        if (first_line == 0)
          first_line = f.line;
      }
    if (predicted_legacy != observed_legacy) {
      auto join = [](const std::vector<std::string> &v) {
        std::string out;
        for (const std::string &n : v)
          out += (out.empty() ? "" : ", ") + n;
        return out;
      };
      add(DifferenceKind::order, "", join(predicted_legacy), join(observed_legacy),
          "legacy filters, top of the stack first, are predicted as " + join(predicted_legacy) +
              " but observed as " + join(observed_legacy),
          first_line);
    }
  }
  // Registration order: FilterManager event 6 (events_reader.hpp).
  if (!options.load_order.empty()) {
    for (const auto &[a, b] : order_inversions(registration_order(r), options.load_order))
      add(DifferenceKind::order, b, "before " + a, "after " + a,
          who(b) + " registered after " + a +
              (options.events_source.empty()
                   ? std::string(" (FilterManager events)")
                   : " (FilterManager events in " + options.events_source + ")") +
              " but is predicted to register first",
          0);
  }
  c.match = c.differences.empty();
  return c;
}

} // namespace fltsim::observed
