// Alternative edits for when no dummy plan exists (docs/planner.md, "Alternatives"): change a
// start type, change a group, make a tag order explicit, convert a legacy filter to a
// minifilter. This file only proposes them; planner.cpp verifies each one (with whatever dummies
// the edited scenario needs) and reports the verified ones.
#include <algorithm>
#include <set>

#include "fltsim/sim/groups.hpp"
#include "internal.hpp"

namespace fltsim::planner::detail {

namespace {

int phase_of(sim::StartType s) {
  switch (s) {
  case sim::StartType::boot:
    return 0;
  case sim::StartType::system:
    return 1;
  case sim::StartType::automatic:
    return 2;
  default:
    return 3; // demand/disabled: loads only through events, after every phase
  }
}

/// The documented group whose range holds `a`, or nullptr.
const sim::GroupInfo *group_of_altitude(const sim::Altitude &a) {
  for (const sim::GroupInfo &g : sim::documented_groups()) {
    if (g.legacy_altitude.empty())
      continue;
    if (a >= sim::Altitude::from_literal(g.low) && a <= sim::Altitude::from_literal(g.high))
      return &g;
  }
  return nullptr;
}

class Builder {
public:
  Builder(const sim::Scenario &sc, const Options &opt) : sc_(sc), opt_(opt) {}

  void legacy_to_boot(int l, const std::string &why) {
    const sim::Driver &d = drv(sc_, l);
    if (d.start == sim::StartType::boot)
      return;
    std::vector<Edit> edits{{d.name, EditField::start, "boot", {}}};
    const bool has_load_event =
        std::any_of(sc_.events.begin(), sc_.events.end(), [&](const sim::Event &e) {
          return e.kind == sim::Event::Kind::load && sim::iequals(e.driver, d.name);
        });
    if (has_load_event)
      edits.push_back({d.name, EditField::load_events, "remove", {}}); // it starts at boot now
    add("Make " + d.name + " boot-start (it is " + sim::to_string(d.start) +
            "-start; legacy filters must be boot-start, L2): " + why +
            (has_load_event ? "; it then needs no `fltmc load`" : ""),
        std::move(edits));
  }

  void convert_legacy(int l) {
    const sim::Driver &d = drv(sc_, l);
    const sim::GroupInfo *g = d.group ? sim::find_group(*d.group) : nullptr;
    if (!g || g->legacy_altitude.empty())
      return;
    // Keep its place: the highest free altitude of its group below its legacy altitude.
    const AltitudeUse use = altitude_use(sc_, opt_);
    auto alt = choose_altitude(use, sim::Altitude::from_literal(g->low),
                               sim::Altitude::from_literal(g->high), std::nullopt,
                               sim::Altitude::from_literal(g->legacy_altitude), true);
    if (!alt)
      return;
    add("Convert " + d.name + " to a minifilter at " + alt->text() + " (" + *d.group +
            "): fltmgr then places it by altitude and no frame has to be forced around it",
        {{d.name, EditField::kind, "minifilter", {}},
         {d.name, EditField::altitude, alt->text(), {}}});
  }

  /// M registers too early relative to legacy L (which belongs below it).
  void mini_later(int m, int l) {
    const sim::Driver &md = drv(sc_, m);
    const sim::Driver &ld = drv(sc_, l);
    // Start it in a later phase than L.
    const int lp = phase_of(ld.start);
    for (sim::StartType s : {sim::StartType::system, sim::StartType::automatic})
      if (phase_of(s) > phase_of(md.start) && phase_of(s) >= lp && lp < 3)
        add("Make " + md.name + " " + sim::to_string(s) + "-start so it registers after " +
                ld.name + " has attached (L1)",
            {{md.name, EditField::start, sim::to_string(s), {}}});
    // Give it the group that matches its altitude.
    const sim::Instance *def = md.find_default_instance();
    if (def) {
      const sim::GroupInfo *g = group_of_altitude(def->altitude);
      if (g && (!md.group || !sim::iequals(*md.group, g->name)))
        add("Move " + md.name + " to " + std::string(g->name) + ", the group whose range holds " +
                "its altitude " + def->altitude.text() + ", so it loads later (L3)",
            {{md.name, EditField::group, std::string(g->name), {}}});
    }
    // Same group and start type: order them with tags.
    if (md.group && ld.group && sim::iequals(*md.group, *ld.group) && md.start == ld.start)
      tag_order(l, m);
  }

  /// A GroupOrderList that loads `first` before `second` (same group and start type).
  void tag_order(int first, int second) {
    const sim::Driver &f = drv(sc_, first);
    const sim::Driver &s = drv(sc_, second);
    const std::string group = *f.group;
    std::set<std::uint32_t> used;
    const std::vector<std::uint32_t> *list = nullptr;
    std::string key = group;
    for (const auto &[k, v] : sc_.group_order_list)
      if (sim::iequals(k, group)) {
        list = &v;
        key = k;
      }
    for (const sim::Driver &d : sc_.drivers)
      if (d.group && sim::iequals(*d.group, group) && d.tag)
        used.insert(*d.tag);
    if (list)
      used.insert(list->begin(), list->end());
    auto fresh = [&]() {
      std::uint32_t t = 1;
      while (used.contains(t))
        ++t;
      used.insert(t);
      return t;
    };
    std::vector<std::uint32_t> order;
    if (list) {
      order = *list;
    } else {
      order.assign(used.begin(), used.end()); // raw tags in their current order (L3)
    }
    const std::uint32_t tf = f.tag ? *f.tag : fresh();
    const std::uint32_t ts = s.tag ? *s.tag : fresh();
    std::erase(order, tf);
    std::erase(order, ts);
    order.push_back(tf);
    order.push_back(ts);
    std::string text;
    for (std::uint32_t t : order)
      text += (text.empty() ? "" : ",") + std::to_string(t);
    std::vector<Edit> edits;
    if (!f.tag)
      edits.push_back({f.name, EditField::tag, std::to_string(tf), {}});
    if (!s.tag)
      edits.push_back({s.name, EditField::tag, std::to_string(ts), {}});
    edits.push_back({"", EditField::group_order_list, text, key});
    add("Make the tag order explicit: GroupOrderList\\" + key + " loads " + f.name + " (tag " +
            std::to_string(tf) + ") before " + s.name + " (tag " + std::to_string(ts) + ") (L3)",
        std::move(edits));
  }

  std::vector<EditCandidate> take() { return std::move(out_); }

private:
  void add(std::string description, std::vector<Edit> edits) {
    std::string key;
    for (const Edit &e : edits)
      key += sim::ascii_lower(e.driver) + "\n" + to_string(e.field) + "\n" + e.value + "\n" +
             e.group + "\n";
    if (!seen_.insert(key).second)
      return;
    out_.push_back({std::move(description), std::move(edits)});
  }

  const sim::Scenario &sc_;
  const Options &opt_;
  std::vector<EditCandidate> out_;
  std::set<std::string> seen_;
};

} // namespace

std::vector<EditCandidate> edit_candidates(const sim::Scenario &sc, const Analysis &an,
                                           const std::vector<sim::Finding> &failures,
                                           const Options &opt) {
  Builder b(sc, opt);
  for (const Blocker &bl : an.blockers) {
    switch (bl.kind) {
    case Blocker::Kind::too_early:
      for (int l : bl.legacies)
        b.legacy_to_boot(l, drv(sc, l).name + " then attaches before " + drv(sc, bl.mini).name +
                                " registers");
      for (int l : bl.legacies)
        b.mini_later(bl.mini, l);
      for (int l : bl.legacies)
        b.convert_legacy(l);
      break;
    case Blocker::Kind::no_clean_gap:
      b.legacy_to_boot(bl.legacies[1],
                       "it then attaches in group order, below " + drv(sc, bl.legacies[0]).name);
      for (int l : bl.legacies)
        b.convert_legacy(l);
      break;
    case Blocker::Kind::frame_zero:
      for (int l : bl.legacies)
        b.convert_legacy(l);
      break;
    case Blocker::Kind::no_placement: {
      const int lo = an.legacies[bl.gap - 1].driver;
      b.legacy_to_boot(lo, "a boot-time dummy can then load after it");
      b.convert_legacy(lo);
      if (bl.gap < an.legacies.size())
        b.convert_legacy(an.legacies[bl.gap].driver);
      break;
    }
    }
  }
  // A plan that failed verification: the legacy filters its failures name.
  for (const sim::Finding &f : failures)
    for (const std::string &name : f.drivers) {
      const int i = sc.find_driver(name);
      if (i >= 0 && drv(sc, i).kind == sim::DriverKind::legacy) {
        b.legacy_to_boot(i, "it then loads in group order");
        b.convert_legacy(i);
      }
    }
  return b.take();
}

} // namespace fltsim::planner::detail
