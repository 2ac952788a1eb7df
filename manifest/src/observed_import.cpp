// Observed stack -> scenario (import) and prediction vs observation (compare).
#include "fltsim/manifest/observed_import.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "fltsim/sim/groups.hpp"

namespace fltsim::manifest {

namespace {

/// One filter as an observation shows it, whatever the listing kind.
struct SeenFilter {
  std::string name;
  bool legacy = false;
  std::optional<sim::Altitude> altitude;
  std::optional<int> frame;
  std::optional<int> instances;
  int line = 0;
};

struct SeenStack {
  ObservedKind kind = ObservedKind::fltmc_filters;
  std::vector<SeenFilter> filters;
  std::vector<ObservedFrame> frames; ///< with ranges (fltkd.frames only)
  bool legacy_visible = false;       ///< fltmc lists legacy filters; !fltkd.frames does not
  int frame_count = 0;
};

// Only complete listings are used: a truncated one would give a wrong answer, not a partial one.
std::optional<SeenStack> pick_listing(const ObservedStack &o, const std::string &source,
                                      std::vector<sim::Diagnostic> &errors) {
  for (ObservedKind kind : {ObservedKind::fltkd_frames, ObservedKind::fltmc_filters}) {
    for (const ObservedSection &s : o.sections) {
      if (s.kind != kind || s.truncated)
        continue;
      SeenStack v;
      v.kind = kind;
      v.legacy_visible = kind == ObservedKind::fltmc_filters;
      int max_frame = -1;
      if (kind == ObservedKind::fltkd_frames) {
        v.frames = s.frames;
        for (const ObservedFrame &f : s.frames) {
          max_frame = std::max(max_frame, f.id);
          for (const ObservedFilter &ff : f.filters)
            v.filters.push_back({ff.name, false, ff.altitude, f.id, ff.num_instances, ff.line});
        }
      } else {
        for (const ObservedFilter &ff : s.filters) {
          v.filters.push_back(
              {ff.name, ff.legacy, ff.altitude, ff.frame, ff.num_instances, ff.line});
          if (ff.frame)
            max_frame = std::max(max_frame, *ff.frame);
        }
      }
      v.frame_count = max_frame + 1;
      return v;
    }
  }
  for (const ObservedSection &s : o.sections)
    if ((s.kind == ObservedKind::fltkd_frames || s.kind == ObservedKind::fltmc_filters) &&
        s.truncated) {
      std::string why = std::string("the ") + to_string(s.kind) + " listing at line " +
                        std::to_string(s.line) +
                        " is incomplete (partial input); a complete listing is needed";
      for (const std::string &n : s.notes)
        why += "; " + n;
      errors.push_back(sim::make_diagnostic({source, s.line, 0}, "observed-partial", why));
      return std::nullopt;
    }
  errors.push_back(sim::make_diagnostic(
      {source, o.sections.empty() ? 0 : o.sections.front().line, 0}, "observed-unrecognized",
      o.sections.empty() ? "no fltmc or !fltkd listing found"
                         : "no `fltmc filters` or `!fltkd.frames` listing found (frame "
                           "assignments are needed; `fltmc instances` or `!fltkd.filters` alone do "
                           "not give them)"));
  return std::nullopt;
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
  }
  return "?";
}

ImportResult import_observed(const ObservedStack &observed, const std::string &source) {
  ImportResult res;
  auto seen = pick_listing(observed, source, res.errors);
  if (!seen)
    return res;
  res.source_kind = seen->kind;
  if (seen->filters.empty()) {
    res.errors.push_back(
        sim::make_diagnostic({source, 0, 0}, "observed-empty", "the listing has no filters"));
    return res;
  }

  // Instance counts need volumes: fltmc shows counts, not names, so placeholders stand in.
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

  // Manifest order: by observed frame, then altitude; legacy filters after the minifilters.
  std::vector<SeenFilter> order = seen->filters;
  std::stable_sort(order.begin(), order.end(), [](const SeenFilter &a, const SeenFilter &b) {
    if (a.legacy != b.legacy)
      return !a.legacy;
    if (a.frame.value_or(0) != b.frame.value_or(0))
      return a.frame.value_or(0) < b.frame.value_or(0);
    if (a.altitude && b.altitude)
      return *a.altitude < *b.altitude;
    return false;
  });
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
      if (const sim::GroupInfo *g = group_for_minifilter(*f.altitude))
        d.group = std::string(g->name);
      else
        res.assumptions.push_back(f.name + ": altitude " + f.altitude->text() +
                                  " is in no documented group range; imported with no group");
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
  for (const sim::Driver &d : sc.drivers)
    if (d.start != sim::StartType::boot)
      res.assumptions.push_back(d.name + ": start " + sim::to_string(d.start) +
                                " (assumed: it must load after the drivers before it to land in "
                                "its observed frame)");
  res.assumptions.push_back("every other start type is boot (an assumption: the listing does not "
                            "show start types); install order follows the listing");
  res.scenario = std::move(sc);
  return res;
}

Comparison compare_observed(const sim::Scenario &sc, const sim::SimResult &r,
                            const ObservedStack &observed, const std::string &source) {
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
  (void)sc;
  auto add = [&](DifferenceKind kind, std::string filter, std::string p, std::string o,
                 std::string msg, int line) {
    c.differences.push_back(
        {kind, std::move(filter), std::move(p), std::move(o), std::move(msg), line});
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
          f.name + " is on the observed stack but not in the prediction", f.line);
      continue;
    }
    matched[key] = true;
    const Predicted &p = it->second;
    if (p.legacy != f.legacy) {
      add(DifferenceKind::kind, f.name, p.legacy ? "legacy" : "minifilter",
          f.legacy ? "legacy" : "minifilter",
          f.name + " is predicted as " + (p.legacy ? "a legacy filter" : "a minifilter") +
              " but observed as " + (f.legacy ? "a legacy filter" : "a minifilter"),
          f.line);
      continue;
    }
    const auto alt_text = [](const std::optional<sim::Altitude> &a) {
      return a ? a->text() : std::string("(none)");
    };
    if (p.altitude.has_value() != f.altitude.has_value() ||
        (p.altitude && f.altitude && !(*p.altitude == *f.altitude)))
      add(DifferenceKind::altitude, f.name, alt_text(p.altitude), alt_text(f.altitude),
          f.name + " is predicted at " + alt_text(p.altitude) + " but observed at " +
              alt_text(f.altitude),
          f.line);
    if (!f.legacy && f.frame && p.frame != *f.frame)
      add(DifferenceKind::frame, f.name, std::to_string(p.frame), std::to_string(*f.frame),
          f.name + " is predicted in Frame " + std::to_string(p.frame) + " but observed in Frame " +
              std::to_string(*f.frame),
          f.line);
    if (!f.legacy && f.instances && p.instances != *f.instances)
      add(DifferenceKind::instances, f.name, std::to_string(p.instances),
          std::to_string(*f.instances),
          f.name + " is predicted with " + std::to_string(p.instances) +
              " instance(s) but observed with " + std::to_string(*f.instances),
          f.line);
  }
  for (const auto &[key, p] : pred) {
    if (matched.count(key) || (p.legacy && !seen->legacy_visible))
      continue;
    add(DifferenceKind::not_observed, p.name, p.legacy ? "legacy" : "minifilter", "",
        p.name + " is predicted on the stack but not in the observation", 0);
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
  c.match = c.differences.empty();
  return c;
}

} // namespace fltsim::manifest
