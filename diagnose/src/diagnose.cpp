// fltsim diagnose: see diagnose.hpp and docs/diagnose.md.
#include "fltsim/diagnose/diagnose.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "fltsim/baselines/baselines.hpp"
#include "fltsim/check/rules.hpp"
#include "fltsim/sim/allocated.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::diagnose {

const char *to_string(Confidence c) {
  switch (c) {
  case Confidence::high:
    return "high";
  case Confidence::medium:
    return "medium";
  case Confidence::low:
    return "low";
  case Confidence::unknown:
    return "unknown";
  }
  return "?";
}

const char *to_string(Origin o) {
  switch (o) {
  case Origin::inbox:
    return "inbox";
  case Origin::microsoft:
    return "microsoft";
  case Origin::third_party:
    return "third-party";
  case Origin::unknown:
    return "unknown";
  }
  return "?";
}

const char *to_string(Allocation a) {
  switch (a) {
  case Allocation::this_name:
    return "allocated";
  case Allocation::someone_else:
    return "allocated-to-another";
  case Allocation::outside_group_range:
    return "outside-group-range";
  case Allocation::not_allocated:
    return "not-allocated";
  case Allocation::legacy:
    return "legacy";
  case Allocation::no_altitude:
    return "no-altitude";
  }
  return "?";
}

namespace {

std::optional<sim::Altitude> default_altitude(const sim::Driver &d) {
  if (!d.is_minifilter())
    return std::nullopt;
  if (const sim::Instance *i = d.find_default_instance())
    return i->altitude;
  if (!d.instances.empty())
    return d.instances.front().altitude;
  return std::nullopt;
}

const sim::Driver *find(const std::vector<sim::Driver> &drivers, const std::string &name) {
  for (const sim::Driver &d : drivers)
    if (sim::iequals(d.name, name))
      return &d;
  return nullptr;
}

std::vector<const baselines::Baseline *> build_baselines() {
  std::vector<const baselines::Baseline *> out;
  for (const baselines::Baseline &b : baselines::builtin_baselines())
    if (b.kind == baselines::BaselineKind::build)
      out.push_back(&b);
  return out;
}

bool start_assumed(const baselines::Baseline &b, const std::string &driver) {
  for (const baselines::DriverProvenance &p : b.provenance)
    if (sim::iequals(p.driver, driver))
      return std::find(p.assumed_fields.begin(), p.assumed_fields.end(), "start") !=
                 p.assumed_fields.end() ||
             std::find(p.unknown.begin(), p.unknown.end(), "start") != p.unknown.end();
  return true;
}

std::string builds_text(const baselines::Baseline &b) {
  std::string s;
  for (const std::string &x : b.builds)
    s += (s.empty() ? "" : ", ") + x;
  return s;
}

bool is_microsoft(const std::string &company) {
  return sim::ascii_lower(company).find("microsoft") != std::string::npos;
}

} // namespace

// ---- which Windows -------------------------------------------------------------------------

BuildGuess guess_build(const sim::Scenario &machine, bool start_types_known) {
  BuildGuess g;
  const auto all = build_baselines();
  // Inbox filters of any build: present on a machine whose baseline lacks them, they speak
  // against that baseline (bfs, UnionFS, UCPD).
  std::map<std::string, std::vector<std::string>> inbox_of; // lower name -> baseline ids
  for (const baselines::Baseline *b : all)
    for (const sim::Driver &d : b->drivers)
      inbox_of[sim::ascii_lower(d.name)].push_back(b->id);

  struct Scored {
    BuildCandidate c;
    std::vector<std::string> evidence; ///< for, then against
    const baselines::Baseline *b = nullptr;
    std::size_t distinctive = 0; ///< matches that half the baselines or fewer share
  };
  // How many build baselines hold each filter at each altitude: a match few of them share
  // (FileInfo at 45000, bfs, UnionFS, UCPD) tells builds apart.
  std::map<std::string, std::size_t> holders; // "lower name|altitude" -> baselines
  auto key = [](const sim::Driver &d) {
    const auto a = default_altitude(d);
    return sim::ascii_lower(d.name) + "|" + (a ? a->text() : std::string());
  };
  for (const baselines::Baseline *b : all)
    for (const sim::Driver &d : b->drivers)
      ++holders[key(d)];

  // A registry or scenario lists every inbox filter, loaded or not: one missing speaks against
  // the baseline whatever its start type. A capture lists the loaded ones only.
  const bool configuration = start_types_known;
  std::vector<Scored> scored;
  for (const baselines::Baseline *b : all) {
    Scored s;
    s.b = b;
    s.c.baseline = b->id;
    std::vector<std::string> matched_names, against;
    for (const sim::Driver &bd : b->drivers) {
      const bool counts = configuration || bd.start != sim::StartType::demand;
      if (counts)
        ++s.c.expected;
      const sim::Driver *m = find(machine.drivers, bd.name);
      if (!m) {
        if (counts) {
          ++s.c.missing;
          s.c.score -= configuration ? 2 : 1;
          against.push_back(bd.name + " is missing (" + sim::to_string(bd.start) + " start on " +
                            b->id + ")");
        }
        continue;
      }
      const auto balt = default_altitude(bd);
      const auto malt = default_altitude(*m);
      if (balt && malt && !(*balt == *malt)) {
        ++s.c.conflicts;
        s.c.score -= 3;
        against.push_back(m->name + " is at " + malt->text() + ", not " + balt->text() + " as on " +
                          b->id);
        continue;
      }
      if (counts)
        ++s.c.matched;
      s.c.score += 2;
      if (holders[key(bd)] * 2 < all.size())
        ++s.distinctive;
      matched_names.push_back(bd.name + (balt ? " " + balt->text() : std::string()));
      if (start_types_known && !start_assumed(*b, bd.name)) {
        if (m->start == bd.start) {
          s.c.score += 1;
          matched_names.back() += " (" + std::string(sim::to_string(bd.start)) + " start)";
        } else {
          s.c.score -= 1;
          against.push_back(m->name + " starts " + sim::to_string(m->start) + ", not " +
                            sim::to_string(bd.start) + " as on " + b->id);
        }
      }
    }
    for (const sim::Driver &m : machine.drivers) {
      if (find(b->drivers, m.name))
        continue;
      auto it = inbox_of.find(sim::ascii_lower(m.name));
      if (it == inbox_of.end())
        continue;
      ++s.c.conflicts;
      s.c.score -= 3;
      std::string where;
      for (const std::string &id : it->second)
        where += (where.empty() ? "" : ", ") + id;
      against.push_back(m.name + " is present: an inbox filter of " + where + ", not of " + b->id);
    }
    std::string m;
    for (const std::string &n : matched_names)
      m += (m.empty() ? "" : ", ") + n;
    if (!m.empty())
      s.evidence.push_back("as on " + b->id + ": " + m);
    for (std::string &a : against)
      s.evidence.push_back(std::move(a));
    scored.push_back(std::move(s));
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const Scored &a, const Scored &b) { return a.c.score > b.c.score; });
  for (const Scored &s : scored)
    g.candidates.push_back(s.c);
  if (scored.empty())
    return g;
  const Scored &best = scored.front();
  double ratio = best.c.expected
                     ? static_cast<double>(best.c.matched) / static_cast<double>(best.c.expected)
                     : 0.0;
  // Too little of any baseline: an older Windows (7, 8.1), or a capture of a few filters none of
  // which tells builds apart.
  const bool fits =
      best.c.score > 0 &&
      (configuration ? ratio >= 0.75 : ratio >= 0.3 && (ratio >= 0.6 || best.distinctive > 0));
  if (!fits) {
    g.evidence.push_back("no bundled baseline fits: the best, " + best.b->id + ", has " +
                         std::to_string(best.c.matched) + " of its " +
                         std::to_string(best.c.expected) +
                         (configuration ? " filters" : " boot, system and auto-start filters") +
                         " here at their altitudes");
    for (const std::string &e : best.evidence)
      g.evidence.push_back(e);
    return g;
  }
  // A derived baseline (a server one: a client baseline's filters, their presence assumed) that
  // fits within a point of the baseline it is derived from does not outrank it: the one that
  // rests on captures is named first, the derived one beside it.
  if (const auto &from = scored.front().b->derived_from)
    for (std::size_t k = 1; k < scored.size(); ++k)
      if (scored[k].b->id == *from && scored.front().c.score - scored[k].c.score <= 1) {
        std::rotate(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(k),
                    scored.begin() + static_cast<std::ptrdiff_t>(k) + 1);
        break;
      }
  ratio = best.c.expected
              ? static_cast<double>(best.c.matched) / static_cast<double>(best.c.expected)
              : 0.0;
  g.baseline = best.b->id;
  g.title = best.b->title;
  g.builds = best.b->builds;
  g.evidence = best.evidence;
  g.evidence.insert(g.evidence.begin(),
                    std::to_string(best.c.matched) + " of the " + std::to_string(best.c.expected) +
                        (configuration ? " filters" : " boot, system and auto-start filters") +
                        " of " + best.b->id + " (" + builds_text(*best.b) +
                        ") are here at its altitudes");
  // Baselines within a point of the best are named beside it: the guess is one of them.
  int margin = 1000;
  bool other_builds = false;
  for (std::size_t k = 1; k < scored.size(); ++k) {
    const Scored &o = scored[k];
    const int behind = best.c.score - o.c.score;
    if (behind <= 1) {
      g.also.push_back(o.b->id);
      other_builds = other_builds || o.b->builds != best.b->builds;
      g.evidence.push_back(
          o.b->id + " (" + builds_text(*o.b) + ") fits " +
          (behind < 0 ? std::to_string(-behind) + " point(s) better, but it is derived from " +
                            best.b->id + " (the presence of its filters is assumed)"
           : behind == 0 ? std::string("exactly as well")
                         : std::string("almost as well (1 point less)")));
    } else if (o.b->builds != best.b->builds) {
      margin = std::min(margin, behind);
    }
  }
  // A registry lists every inbox filter: one missing means another build than the baseline's.
  g.exact = best.c.conflicts == 0 && (!configuration || best.c.missing == 0);
  if (g.exact && ratio >= 0.85 && !other_builds && margin >= 3)
    g.confidence = Confidence::high;
  else if (g.exact && !other_builds && margin >= 2)
    g.confidence = Confidence::medium;
  else
    g.confidence = Confidence::low;
  if (!g.exact)
    g.evidence.insert(g.evidence.begin(),
                      "no bundled baseline matches exactly: " + best.b->id + " is the nearest (" +
                          std::to_string(best.c.missing) + " of its filters missing, " +
                          std::to_string(best.c.conflicts) +
                          " elsewhere or from another build); the machine runs another build");
  if (margin < 1000)
    g.evidence.push_back("the next other build fits by " + std::to_string(margin) +
                         " point(s) less (docs/diagnose.md#which-windows)");
  return g;
}

// ---- the machine's scenario ----------------------------------------------------------------

std::optional<sim::Scenario> machine_scenario(const inputs::MachineEvidence &ev,
                                              std::vector<sim::Diagnostic> &errors,
                                              observed::ImportResult *import) {
  if (ev.configuration)
    return ev.configuration;
  if (!ev.capture) {
    errors.push_back(sim::make_diagnostic(
        {ev.events_source, 0, 0}, "machine-evidence",
        "an event log gives the load order only: give the machine's capture (fltmc), registry "
        "export or hive with it"));
    return std::nullopt;
  }
  observed::ImportOptions io;
  io.load_order = ev.load_order;
  io.events_source = ev.events_source;
  observed::ImportResult imp = observed::import_observed(*ev.capture, ev.capture_source, io);
  if (!imp.scenario) {
    errors.insert(errors.end(), imp.errors.begin(), imp.errors.end());
    return std::nullopt;
  }
  std::optional<sim::Scenario> sc = imp.scenario;
  if (import)
    *import = std::move(imp);
  return sc;
}

namespace {

struct BaselineView {
  const baselines::Baseline *chosen = nullptr;
  std::vector<const baselines::Baseline *> inbox_sets; ///< chosen, else every build baseline
};

const baselines::BaselineInboxException *exception_for(const BaselineView &v,
                                                       const std::string &filter,
                                                       const std::string &field,
                                                       const std::string &value) {
  for (const baselines::Baseline *b : v.inbox_sets)
    for (const baselines::BaselineInboxException &x : b->inbox_exceptions)
      if (sim::iequals(x.filter, filter) && x.field == field &&
          (field != "altitude" ||
           sim::Altitude::parse(x.windows_value) == sim::Altitude::parse(value)))
        return &x;
  return nullptr;
}

FilterReport describe(const sim::Scenario &sc, const sim::SimResult &r, std::size_t i,
                      const BaselineView &v) {
  const sim::Driver &d = sc.drivers[i];
  FilterReport f;
  f.name = d.name;
  f.kind = d.kind;
  f.group = d.group.value_or("");
  f.start = d.start;
  f.altitude = default_altitude(d);
  if (!f.altitude && d.is_legacy() && d.group)
    f.altitude = sim::legacy_altitude_for_group(*d.group);
  if (i < r.drivers.size()) {
    f.loaded = r.drivers[i].loaded;
    f.frame = d.is_minifilter() && f.loaded ? r.drivers[i].frame : -1;
  }
  const sim::AllocatedTable &table = sim::builtin_allocated_altitudes();
  // The driver's rows of the list, matched as `fltsim check` matches them ("minispy.sys - Top");
  // for the company alone, also a row the list decorates ("FileInfo.sys(new)").
  std::vector<const sim::AllocatedAltitude *> own, decorated;
  const std::string prefix = sim::ascii_lower(d.name) + ".sys";
  for (const sim::AllocatedAltitude &row : table.rows()) {
    if (check::allocated_owner_matches(row.driver, d.name))
      own.push_back(&row);
    else if (sim::ascii_lower(row.driver).starts_with(prefix))
      decorated.push_back(&row);
  }
  if (const auto &named = own.empty() ? decorated : own; !named.empty()) {
    f.company = named.front()->company;
    f.listed_group = named.front()->group;
    f.listed_as = named.front()->driver;
  }
  bool inbox = false;
  for (const baselines::Baseline *b : v.inbox_sets)
    inbox = inbox || find(b->drivers, d.name) != nullptr;
  f.origin = inbox                     ? Origin::inbox
             : f.company.empty()       ? Origin::unknown
             : is_microsoft(f.company) ? Origin::microsoft
                                       : Origin::third_party;
  if (!d.is_minifilter()) {
    f.allocation = f.altitude ? Allocation::legacy : Allocation::no_altitude;
    f.allocation_detail = f.altitude
                              ? "a legacy filter takes the altitude of its group (" + f.group + ")"
                              : "a legacy filter whose group has no altitude";
    if (d.kind == sim::DriverKind::both)
      if (auto a = default_altitude(d)) // its minifilter side
        f.altitude = a;
  }
  if (d.is_minifilter() && f.altitude) {
    const auto rows = table.at(*f.altitude);
    auto owner_text = [](const sim::AllocatedAltitude *row) {
      return row->driver + " (" + row->company + ", " + row->group + ")";
    };
    const auto mine = std::find_if(rows.begin(), rows.end(), [&](const auto *row) {
      return check::allocated_owner_matches(row->driver, d.name);
    });
    const sim::GroupInfo *g = d.group ? sim::find_group(*d.group) : nullptr;
    const bool in_range = !g || (sim::Altitude::from_literal(g->low) <= *f.altitude &&
                                 *f.altitude <= sim::Altitude::from_literal(g->high));
    if (mine != rows.end()) {
      f.allocation = Allocation::this_name;
      f.allocation_detail = "allocated to " + owner_text(*mine);
    } else if (!rows.empty()) {
      f.allocation = Allocation::someone_else;
      std::string who;
      for (const auto *row : rows)
        who += (who.empty() ? "" : ", ") + owner_text(row);
      f.allocation_detail = "allocated to " + who;
    } else if (!in_range) {
      f.allocation = Allocation::outside_group_range;
      f.allocation_detail = "outside " + std::string(g->name) + " (" + std::string(g->low) + "-" +
                            std::string(g->high) + ")";
    } else {
      f.allocation = Allocation::not_allocated;
      f.allocation_detail = "nothing allocated at " + f.altitude->text();
    }
    if (f.allocation != Allocation::this_name && !own.empty()) {
      std::string alts;
      for (const auto *row : own)
        alts += (alts.empty() ? "" : ", ") + row->altitude.text();
      f.allocation_detail += "; the list gives " + d.name + " " + alts;
    }
    if (f.allocation != Allocation::this_name &&
        exception_for(v, d.name, "altitude", f.altitude->text()) != nullptr) {
      f.inbox_exception = true;
      f.allocation_detail += " (an inbox exception: Windows itself puts it here)";
    }
  }
  // Instances: attached in the simulation.
  if (f.frame >= 0 && static_cast<std::size_t>(f.frame) < r.frames.size())
    for (const sim::FrameFilter &ff : r.frames[static_cast<std::size_t>(f.frame)].filters)
      if (ff.driver == static_cast<int>(i))
        f.instances = static_cast<int>(ff.attached.size());
  return f;
}

/// Filters top of the stack first (positions 1, 2, ...), then the drivers not on it.
std::vector<FilterReport> describe_all(const sim::Scenario &sc, const sim::SimResult &r,
                                       const BaselineView &v) {
  std::vector<FilterReport> out;
  std::vector<bool> placed(sc.drivers.size(), false);
  int position = 0;
  auto place = [&](int driver) {
    if (driver < 0 || static_cast<std::size_t>(driver) >= sc.drivers.size())
      return;
    ++position;
    const auto i = static_cast<std::size_t>(driver);
    if (placed[i])
      return; // a kind-both driver: listed once, at its upper place
    placed[i] = true;
    FilterReport f = describe(sc, r, i, v);
    f.position = position;
    out.push_back(std::move(f));
  };
  for (auto it = r.stack.rbegin(); it != r.stack.rend(); ++it) {
    if (it->kind == sim::StackEntry::Kind::legacy) {
      place(it->driver);
      continue;
    }
    if (it->frame < 0 || static_cast<std::size_t>(it->frame) >= r.frames.size())
      continue;
    const sim::Frame &fr = r.frames[static_cast<std::size_t>(it->frame)];
    for (auto f = fr.filters.rbegin(); f != fr.filters.rend(); ++f)
      place(f->driver);
  }
  for (std::size_t i = 0; i < sc.drivers.size(); ++i)
    if (!placed[i] && !sim::is_filter_manager(sc.drivers[i].name))
      out.push_back(describe(sc, r, i, v));
  return out;
}

std::vector<FrameReason> explain_frames(const sim::SimResult &r) {
  std::vector<FrameReason> out;
  std::string legacy_below;
  std::string legacy_alt;
  int previous = -1;
  for (const sim::StackEntry &e : r.stack) {
    if (e.kind == sim::StackEntry::Kind::legacy) {
      legacy_below = e.name;
      legacy_alt = e.altitude ? e.altitude->text() : std::string("no altitude");
      continue;
    }
    if (e.frame < 0 || static_cast<std::size_t>(e.frame) >= r.frames.size())
      continue;
    const sim::Frame &fr = r.frames[static_cast<std::size_t>(e.frame)];
    if (previous >= 0) {
      FrameReason why;
      why.frame = fr.id;
      why.low = fr.low.text();
      why.high = fr.high.text();
      why.legacy_below = legacy_below;
      for (const sim::TraceStep &t : r.trace)
        if (t.kind == sim::TraceEvent::frame_create && t.frame == fr.id)
          why.opened_by = t.driver;
      why.text =
          "Frame " + std::to_string(fr.id) + " (" + why.low + " to " + why.high +
          ") exists because " +
          (legacy_below.empty() ? std::string("of a frame below it")
                                : "the legacy filter " + legacy_below + " (" + legacy_alt +
                                      ") attached on top of Frame " + std::to_string(previous)) +
          (why.opened_by.empty() ? std::string()
                                 : "; fltmgr opened it when " + why.opened_by +
                                       " registered above that frame's range") +
          " (R4, R5)";
      out.push_back(std::move(why));
    }
    previous = fr.id;
    legacy_below.clear();
  }
  return out;
}

check::CheckBaseline check_baseline(const std::vector<const baselines::Baseline *> &parts) {
  check::CheckBaseline cb;
  cb.id = parts.size() == 1 ? parts.front()->id : std::string("any bundled Windows build");
  cb.partial = false;
  for (const baselines::Baseline *b : parts) {
    cb.partial = cb.partial || b->completeness == baselines::Completeness::partial;
    for (const sim::Driver &d : b->drivers)
      if (std::none_of(cb.inbox_filters.begin(), cb.inbox_filters.end(),
                       [&](const std::string &n) { return sim::iequals(n, d.name); }))
        cb.inbox_filters.push_back(d.name);
    for (const baselines::BaselineInboxException &x : b->inbox_exceptions)
      cb.exceptions.push_back({x.filter, x.field, x.windows_value, x.rule});
  }
  return cb;
}

BaselineDifferences against_baseline(const sim::Scenario &sc, const baselines::Baseline &b,
                                     bool observation_only) {
  BaselineDifferences out;
  out.baseline = b.id;
  for (const sim::Driver &d : sc.drivers)
    if (!find(b.drivers, d.name) && !sim::is_filter_manager(d.name))
      out.added.push_back(d.name);
  for (const sim::Driver &bd : b.drivers) {
    const sim::Driver *m = find(sc.drivers, bd.name);
    if (!m) {
      // A capture lists the filters that are loaded: a demand-start inbox filter is often not.
      (observation_only && bd.start == sim::StartType::demand ? out.missing_demand : out.missing)
          .push_back(bd.name);
      continue;
    }
    const auto ba = default_altitude(bd);
    const auto ma = default_altitude(*m);
    if (ba && ma && !(*ba == *ma))
      out.moved.push_back({m->name, ba->text(), ma->text()});
  }
  return out;
}

} // namespace

bool Diagnosis::needs_attention() const {
  for (const check::LocatedFinding &f : findings)
    if (f.finding.severity != sim::Severity::note)
      return true;
  if (comparison && !comparison->match)
    return true;
  if (!reproduces)
    return true;
  if (!baseline.informative && (!baseline.missing.empty() || !baseline.moved.empty()))
    return true;
  for (const FilterReport &f : filters)
    if (f.origin != Origin::inbox && !f.inbox_exception &&
        (f.allocation == Allocation::someone_else ||
         f.allocation == Allocation::outside_group_range))
      return true;
  if (what_if && (fleet::is_problem(what_if->result.outcome)))
    return true;
  return false;
}

DiagnoseResult diagnose(const inputs::MachineEvidence &ev, const Options &options) {
  DiagnoseResult out;
  Diagnosis d;
  d.evidence = ev.files;
  d.machine = ev.name;
  observed::ImportResult imp;
  std::optional<sim::Scenario> sc = machine_scenario(ev, out.errors, &imp);
  if (!sc)
    return out;
  d.scenario = std::move(*sc);
  if (ev.configuration) {
    d.scenario_from = ev.files.empty() ? "scenario" : "configuration";
    for (const inputs::EvidenceFile &f : ev.files)
      if (f.path == ev.configuration_source)
        d.scenario_from = inputs::to_string(f.kind);
    d.assumptions = ev.configuration_notes;
  } else {
    d.scenario_from = "capture";
    d.assumptions = imp.assumptions;
    d.reproduces = imp.reproduces;
    d.mismatches = imp.mismatches;
  }
  d.result = sim::simulate(d.scenario);
  if (!d.result.input_errors.empty()) {
    out.errors = d.result.input_errors;
    return out;
  }

  // Which Windows.
  const bool start_known = ev.configuration.has_value();
  d.build = guess_build(d.scenario, start_known);
  d.build.stated_build = ev.build;
  if (!options.baseline.empty()) {
    const baselines::Baseline *b = baselines::find_baseline(options.baseline);
    if (!b || b->kind != baselines::BaselineKind::build) {
      out.errors.push_back(sim::make_diagnostic({}, "baseline",
                                                "--baseline: '" + options.baseline +
                                                    "' is no bundled Windows build baseline (" +
                                                    baselines::baseline_ids_text() + ")"));
      return out;
    }
    d.build.source = BuildGuess::Source::option;
    d.build.evidence.insert(d.build.evidence.begin(),
                            "given with --baseline" +
                                (d.build.baseline.empty() || d.build.baseline == b->id
                                     ? std::string()
                                     : " (the filters fit " + d.build.baseline + " best)"));
    d.build.baseline = b->id;
    d.build.title = b->title;
    d.build.builds = b->builds;
    d.build.also.clear();
    d.build.confidence = Confidence::high;
    d.build.exact = true;
  } else if (!ev.build.empty()) {
    // The evidence states its build: the baseline of that build (the guessed one when two share
    // it, as windows-11-24h2 and windows-server-2025 share 10.0.26100).
    const baselines::Baseline *stated = nullptr;
    for (const baselines::Baseline *b : build_baselines())
      for (const std::string &n : b->builds)
        if ((ev.build == n || ev.build.starts_with(n + ".")) &&
            (!stated || b->id == d.build.baseline))
          stated = b;
    if (stated) {
      const std::string guessed = d.build.baseline;
      d.build.evidence.insert(d.build.evidence.begin(),
                              "stated in " + ev.build_source + ": " + ev.build +
                                  (guessed.empty() || guessed == stated->id
                                       ? std::string()
                                       : " (the filters fit " + guessed + " best)"));
      d.build.baseline = stated->id;
      d.build.title = stated->title;
      d.build.builds = stated->builds;
      d.build.also.clear();
      d.build.source = BuildGuess::Source::stated;
      d.build.confidence = Confidence::high;
      d.build.exact = true;
    } else {
      d.build.evidence.insert(d.build.evidence.begin(),
                              "stated in " + ev.build_source + ": " + ev.build +
                                  ", a build no bundled baseline stands for");
    }
  }
  BaselineView view;
  if (!d.build.baseline.empty())
    view.chosen = baselines::find_baseline(d.build.baseline);
  if (view.chosen)
    view.inbox_sets = {view.chosen};
  else
    view.inbox_sets = build_baselines();

  // Every filter, the frames, the findings.
  d.filters = describe_all(d.scenario, d.result, view);
  if (ev.capture) // what the machine showed, when it showed it
    for (const observed::ObservedSection &s : ev.capture->sections)
      if (s.kind == observed::ObservedKind::fltmc_filters ||
          s.kind == observed::ObservedKind::ntobject_filters)
        for (const observed::ObservedFilter &of : s.filters)
          for (FilterReport &f : d.filters)
            if (sim::iequals(f.name, of.name) && of.num_instances && !of.legacy)
              f.instances = *of.num_instances;
  for (const FilterReport &f : d.filters)
    if (f.loaded && f.kind == sim::DriverKind::minifilter && f.instances == 0)
      d.no_volume.push_back(f.name);
  d.frames = explain_frames(d.result);
  // fltsim check's rules about the machine's own filters: check reports findings about the drivers
  // under review (its manifests), so the filters that start at boot are handed over as one; the
  // demand-start and disabled ones stay in the base, where check does not load them after boot
  // (it does for a demand-start driver under review). Their relative order, and so the load
  // order, is kept.
  check::CheckInputs ci;
  ci.base = d.scenario;
  ci.base->drivers.clear();
  check::ManifestFile machine_file;
  machine_file.path = d.machine;
  for (const sim::Driver &drv : d.scenario.drivers)
    (drv.start == sim::StartType::demand || drv.start == sim::StartType::disabled
         ? ci.base->drivers
         : machine_file.drivers)
        .push_back(drv);
  ci.manifests.push_back(std::move(machine_file));
  // The inbox exceptions are no findings: those of the build, or, when the build is unknown, those
  // of every bundled build (an inbox filter where any Windows puts it).
  ci.baseline = check_baseline(view.inbox_sets);
  check::CheckReport report = check::run_check(std::move(ci));
  d.findings = std::move(report.findings);
  // Each filter out of order names the legacy filter responsible; each collision the other filter.
  auto add_unique = [](std::vector<std::string> &to, const std::string &name) {
    if (std::find(to.begin(), to.end(), name) == to.end())
      to.push_back(name);
  };
  for (const check::LocatedFinding &lf : d.findings) {
    const sim::Finding &f = lf.finding;
    if (f.drivers.size() < 2)
      continue;
    for (FilterReport &fr : d.filters) {
      if (f.code == sim::rule::altitude_inversion && sim::iequals(fr.name, f.drivers[0]))
        add_unique(fr.below_legacy, f.drivers[1]);
      if (f.code == sim::rule::altitude_collision)
        for (std::size_t k = 0; k < 2; ++k)
          if (sim::iequals(fr.name, f.drivers[k]))
            add_unique(fr.collides_with, f.drivers[1 - k]);
    }
  }
  d.inbox_excepted = report.inbox_excepted;
  if (!ev.events_source.empty())
    d.load_order = LoadOrder{ev.events_source, ev.load_order, imp.order_mismatches};
  if (ev.configuration && ev.capture) {
    observed::CompareOptions co;
    co.load_order = ev.load_order;
    co.events_source = ev.events_source;
    d.comparison =
        observed::compare_observed(d.scenario, d.result, *ev.capture, ev.capture_source, co);
  }
  if (view.chosen) {
    d.baseline = against_baseline(d.scenario, *view.chosen, !ev.configuration);
    d.baseline.informative = d.build.confidence == Confidence::low;
  }

  // What if.
  if (options.change) {
    WhatIf w;
    w.change = options.change->describe();
    const std::string build = d.build.builds.empty() ? std::string() : d.build.builds.front();
    w.result = fleet::evaluate_machine(d.machine, build, d.scenario, *options.change);
    w.after = fleet::apply_change(d.scenario, *options.change);
    w.after_result = sim::simulate(w.after);
    for (const FilterReport &f : describe_all(w.after, w.after_result, view))
      for (const sim::Driver &a : options.change->add)
        if (sim::iequals(a.name, f.name))
          w.landed.push_back(f);
    if (fleet::is_problem(w.result.outcome) && w.result.outcome != fleet::Outcome::input_error)
      w.fix = planner::plan(w.after, options.plan);
    d.what_if = std::move(w);
  }
  out.diagnosis = std::move(d);
  return out;
}

} // namespace fltsim::diagnose
