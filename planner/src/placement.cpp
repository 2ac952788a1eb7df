// Dummy placement: for a gap between legacy filters L_lo (below) and L_hi (above), a start type and
// load order group that make the dummy load after L_lo and before L_hi in every permitted order,
// and a free altitude above L_lo's and below L_hi's inside the group's documented range.
#include <algorithm>
#include <charconv>
#include <limits>
#include <unordered_map>

#include "fltsim/sim/allocated.hpp"
#include "fltsim/sim/groups.hpp"
#include "internal.hpp"

namespace fltsim::planner::detail {

namespace {

constexpr std::uint64_t kHuge = std::numeric_limits<std::uint64_t>::max();

/// Integer part of an altitude (saturating for absurd lengths).
std::uint64_t int_part(const sim::Altitude &a) {
  const std::string_view s = a.integer_digits();
  if (s.size() > 18)
    return kHuge;
  std::uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

sim::Altitude altitude_of(std::uint64_t v) {
  return sim::Altitude::from_literal(std::to_string(v));
}

/// Position of each group in the effective ServiceGroupOrder (lower-case names).
std::unordered_map<std::string, std::size_t> group_positions(const sim::Scenario &sc) {
  std::unordered_map<std::string, std::size_t> pos;
  std::size_t i = 0;
  if (sc.service_group_order) {
    for (const std::string &g : *sc.service_group_order)
      pos.emplace(sim::ascii_lower(g), i++);
  } else {
    for (std::string_view g : sim::default_service_group_order())
      pos.emplace(sim::ascii_lower(g), i++);
  }
  return pos;
}

/// Where a dummy of each (start type, group) would load: all probes are added to one copy of the
/// scenario (appended, untagged) and the load order is resolved once.
struct Slot {
  sim::StartType start = sim::StartType::boot;
  const sim::GroupInfo *group = nullptr;
  std::size_t group_pos = 0;
  int driver = -1; ///< the probe's index in the probe scenario
};

struct Probe {
  sim::Scenario scenario;
  std::vector<Slot> slots;
  std::vector<std::size_t> pos; ///< position in the resolved order, SIZE_MAX = not at boot
  std::vector<int> cls;         ///< tie class, -1 = none
};

void resolve_positions(Probe &p) {
  const sim::LoadPlan lp = sim::resolve_load_order(p.scenario);
  p.pos.assign(p.scenario.drivers.size(), SIZE_MAX);
  p.cls.assign(p.scenario.drivers.size(), -1);
  for (std::size_t i = 0; i < lp.order.size(); ++i)
    p.pos[static_cast<std::size_t>(lp.order[i])] = i;
  for (std::size_t c = 0; c < lp.ties.size(); ++c)
    for (int d : lp.ties[c].drivers)
      p.cls[static_cast<std::size_t>(d)] = static_cast<int>(c);
}

std::string unused_name(const sim::Scenario &sc, const std::string &base) {
  std::string name = base;
  for (int k = 2; sc.find_driver(name) >= 0; ++k)
    name = base + "_" + std::to_string(k);
  return name;
}

Probe make_probe(const sim::Scenario &sc) {
  Probe p;
  p.scenario = sc;
  const auto gpos = group_positions(sc);
  for (sim::StartType st :
       {sim::StartType::boot, sim::StartType::system, sim::StartType::automatic}) {
    for (const sim::GroupInfo &g : sim::documented_groups()) {
      if (g.legacy_altitude.empty())
        continue; // FSFilter Infrastructure: below every legacy altitude, never useful
      auto it = gpos.find(sim::ascii_lower(g.name));
      if (it == gpos.end())
        continue; // not in ServiceGroupOrder: the dummy would be an unknown-group driver
      sim::Driver d;
      d.name = unused_name(p.scenario, "~probe~" + std::to_string(p.slots.size()));
      d.kind = sim::DriverKind::minifilter;
      d.group = std::string(g.name);
      d.start = st;
      p.slots.push_back({st, &g, it->second, static_cast<int>(p.scenario.drivers.size())});
      p.scenario.drivers.push_back(std::move(d));
    }
  }
  resolve_positions(p);
  return p;
}

/// The window of a gap in a resolved probe: strictly after every member of L_lo's tie class and
/// before every member of L_hi's, never inside either class.
struct Window {
  std::size_t lo = 0;
  std::size_t hi = SIZE_MAX;
  int lo_cls = -1;
  int hi_cls = -1;
  [[nodiscard]] bool holds(std::size_t pos, int cls) const {
    return pos != SIZE_MAX && pos > lo && pos < hi && (cls < 0 || (cls != lo_cls && cls != hi_cls));
  }
};

Window window_of(const Probe &p, std::size_t n_real, int lo_driver, int hi_driver) {
  Window w;
  auto extent = [&](int d, bool want_max) {
    const int c = p.cls[static_cast<std::size_t>(d)];
    std::size_t best = p.pos[static_cast<std::size_t>(d)];
    if (c >= 0)
      for (std::size_t i = 0; i < n_real; ++i)
        if (p.cls[i] == c && p.pos[i] != SIZE_MAX)
          best = want_max ? std::max(best, p.pos[i]) : std::min(best, p.pos[i]);
    return best;
  };
  w.lo = extent(lo_driver, true);
  w.lo_cls = p.cls[static_cast<std::size_t>(lo_driver)];
  if (hi_driver >= 0 && p.pos[static_cast<std::size_t>(hi_driver)] != SIZE_MAX) {
    w.hi = extent(hi_driver, false);
    w.hi_cls = p.cls[static_cast<std::size_t>(hi_driver)];
  }
  return w;
}

const char *phase_text(sim::StartType s) {
  switch (s) {
  case sim::StartType::boot:
    return "boot-start";
  case sim::StartType::system:
    return "system-start";
  default:
    return "auto-start";
  }
}

std::string legacy_text(const sim::Scenario &sc, const LegacyReg &l) {
  const sim::Driver &d = sc.drivers[static_cast<std::size_t>(l.driver)];
  return d.name + " (" + phase_text(d.start) + ", " + d.group.value_or("no group") + ", " +
         l.altitude.text() + ")";
}

/// What a dummy at position `pos` of a resolved probe must be above to open a frame rather than
/// join one (R3-R5): Frame 0's initial 49999 (R1), every legacy filter that attaches before it
/// (R5 raises the top frame to them; a kind-both driver's legacy device included) and every
/// minifilter that registers before it (R4 grows or opens frames up to their altitudes; a
/// kind-both driver's minifilter included), plus the earlier dummies. The dummy is in no tie
/// class, so these are the same drivers in every permitted order.
struct Ceiling {
  sim::Altitude altitude = sim::Altitude::from_literal("49999");
  int driver = -1;     ///< index of the driver that sets it; -1 = Frame 0's 49999
  bool legacy = false; ///< that driver's legacy device (not its minifilter)
  std::string dummy;   ///< an earlier dummy sets it
};

Ceiling ceiling_before(const Probe &p, std::size_t n_real, std::size_t pos,
                       const std::vector<DummyFilter> &earlier) {
  Ceiling c;
  for (std::size_t i = 0; i < n_real; ++i) {
    if (p.pos[i] == SIZE_MAX || p.pos[i] >= pos)
      continue;
    const sim::Driver &d = p.scenario.drivers[i];
    if (d.is_legacy() && d.group)
      if (auto a = sim::legacy_altitude_for_group(*d.group); a && *a > c.altitude)
        c = {*a, static_cast<int>(i), true, {}};
    if (d.is_minifilter())
      if (const sim::Instance *def = d.find_default_instance(); def && def->altitude > c.altitude)
        c = {def->altitude, static_cast<int>(i), false, {}};
  }
  for (const DummyFilter &d : earlier)
    if (d.altitude > c.altitude)
      c = {d.altitude, -1, false, d.name};
  return c;
}

std::string ceiling_text(const sim::Scenario &sc, const Ceiling &c, const LegacyReg &lo) {
  if (c.driver < 0 && c.dummy.empty())
    return "49999, Frame 0's initial high bound (R1; at or below it the dummy would just join "
           "Frame 0, R3)";
  if (!c.dummy.empty())
    return c.dummy + "'s " + c.altitude.text() +
           " (the top frame reaches it before this dummy registers, R4)";
  const sim::Driver &d = sc.drivers[static_cast<std::size_t>(c.driver)];
  if (c.legacy) {
    if (c.driver == lo.driver)
      return lo.altitude.text();
    return d.name + "'s legacy altitude " + c.altitude.text() + " (R5 raises the top frame to it)";
  }
  return d.name + "'s " + c.altitude.text() + " (" + d.name +
         " registers first, so the top frame already reaches it, R4)";
}

} // namespace

bool AltitudeUse::free(const sim::Altitude &a) const {
  if (taken.contains(a.canonical()))
    return false;
  return !(avoid_allocated && sim::builtin_allocated_altitudes().is_allocated(a));
}

AltitudeUse altitude_use(const sim::Scenario &sc, const Options &opt) {
  AltitudeUse u;
  u.avoid_allocated = opt.avoid_allocated;
  u.own = opt.own_altitudes;
  for (const sim::Driver &d : sc.drivers) {
    for (const sim::Instance &i : d.instances)
      u.taken.insert(i.altitude.canonical());
    if (d.is_legacy() && d.group)
      if (auto a = sim::legacy_altitude_for_group(*d.group))
        u.taken.insert(a->canonical());
  }
  for (const sim::Altitude &a : opt.own_altitudes)
    u.taken.insert(a.canonical()); // the company's own filter uses it
  return u;
}

std::optional<sim::Altitude> choose_altitude(const AltitudeUse &use, const sim::Altitude &glo,
                                             const sim::Altitude &ghi,
                                             const std::optional<sim::Altitude> &lo,
                                             const std::optional<sim::Altitude> &hi,
                                             bool prefer_high, bool *own) {
  auto inside = [&](const sim::Altitude &a) {
    return a >= glo && a <= ghi && (!lo || a > *lo) && (!hi || a < *hi);
  };
  if (own)
    *own = false;
  // Fractions of the company's own altitudes first (D-LOG allows 325000.1, ... in the group).
  for (const sim::Altitude &x : use.own) {
    if (!(x >= glo && x <= ghi))
      continue; // the own altitude's group is not this one
    const std::string base = x.canonical();
    const bool has_fraction = !x.fraction_digits().empty();
    for (int k = 1; k < 100; ++k) {
      if (k % 10 == 0)
        continue; // 325000.10 == 325000.1
      const std::string text =
          has_fraction ? base + std::to_string(k) : base + "." + std::to_string(k);
      const sim::Altitude a = sim::Altitude::from_literal(text);
      if (inside(a) && use.free(a)) {
        if (own)
          *own = true;
        return a;
      }
    }
  }
  // Integers: the smallest integer above lo, the largest below hi.
  std::uint64_t from = int_part(glo);
  std::uint64_t to = int_part(ghi);
  if (lo) {
    const std::uint64_t l = int_part(*lo);
    if (l == kHuge)
      return std::nullopt;
    from = std::max(from, l + 1);
  }
  if (hi) {
    const std::uint64_t h = int_part(*hi);
    if (h != kHuge) {
      if (h == 0 && hi->fraction_digits().empty())
        return std::nullopt;
      to = std::min(to, hi->fraction_digits().empty() ? h - 1 : h);
    }
  }
  if (from > to || to == kHuge)
    return std::nullopt;
  for (std::uint64_t i = 0; i <= to - from; ++i) {
    const sim::Altitude a = altitude_of(prefer_high ? to - i : from + i);
    if (inside(a) && use.free(a))
      return a;
  }
  return std::nullopt;
}

std::string dummy_name(const sim::Scenario &sc, const std::string &prefix, std::size_t index) {
  std::string name = prefix + std::to_string(index);
  return sc.find_driver(name) >= 0 ? unused_name(sc, name) : name;
}

std::vector<DummyFilter> place_dummies(const sim::Scenario &sc, const Analysis &an,
                                       const std::vector<std::size_t> &gaps, const Options &opt,
                                       std::vector<std::size_t> *unplaced) {
  std::vector<DummyFilter> out;
  if (gaps.empty())
    return out;
  const std::size_t n_real = sc.drivers.size();
  Probe probe = make_probe(sc);
  AltitudeUse use = altitude_use(sc, opt);
  sim::Scenario work = sc; // earlier dummies included, for names, tags and GroupOrderList
  const auto gpos = group_positions(sc);
  std::size_t next_index = 1;

  for (std::size_t gap : gaps) {
    const std::size_t n = an.legacies.size();
    if (gap == 0 || gap > n) {
      if (unplaced)
        unplaced->push_back(gap);
      continue;
    }
    const LegacyReg &lo = an.legacies[gap - 1];
    const LegacyReg *hi = gap < n ? &an.legacies[gap] : nullptr;
    if (!lo.at_boot) {
      if (unplaced)
        unplaced->push_back(gap);
      continue; // the lower legacy is loaded by an event, after every boot-time driver
    }
    const std::optional<sim::Altitude> hi_alt =
        hi ? std::optional<sim::Altitude>(hi->altitude) : std::nullopt;
    const Window w = window_of(probe, n_real, lo.driver, hi ? hi->driver : -1);

    DummyFilter d;
    d.name = dummy_name(work, opt.dummy_prefix, next_index);
    d.instance_name = d.name + " Instance";
    d.after_legacy = sc.drivers[static_cast<std::size_t>(lo.driver)].name;
    d.before_legacy = hi ? sc.drivers[static_cast<std::size_t>(hi->driver)].name : "";
    bool placed = false;

    // 1. Deterministic slots: (start type, group) sorting strictly between the two legacies.
    //    Own-altitude fits first, then boot before system before auto, then the group closest
    //    above L_lo's.
    std::vector<const Slot *> slots;
    for (const Slot &s : probe.slots)
      if (w.holds(probe.pos[static_cast<std::size_t>(s.driver)],
                  probe.cls[static_cast<std::size_t>(s.driver)]))
        slots.push_back(&s);
    std::stable_sort(slots.begin(), slots.end(), [](const Slot *a, const Slot *b) {
      if (a->start != b->start)
        return a->start < b->start;
      return a->group_pos < b->group_pos;
    });
    for (int pass = 0; pass < 2 && !placed; ++pass) {
      for (const Slot *s : slots) {
        const sim::Altitude glo = sim::Altitude::from_literal(s->group->low);
        const sim::Altitude ghi = sim::Altitude::from_literal(s->group->high);
        bool own = false;
        AltitudeUse u = use;
        if (pass == 1)
          u.own.clear();
        else if (u.own.empty())
          break;
        const Ceiling ceil =
            ceiling_before(probe, n_real, probe.pos[static_cast<std::size_t>(s->driver)], out);
        auto alt = choose_altitude(u, glo, ghi, ceil.altitude, hi_alt, false, &own);
        if (!alt || (pass == 0 && !own))
          continue;
        d.group = std::string(s->group->name);
        d.start = s->start;
        d.altitude = *alt;
        d.own_altitude = own;
        d.placement = Placement::between_groups;
        const sim::Driver &lod = sc.drivers[static_cast<std::size_t>(lo.driver)];
        const sim::Driver *hid = hi ? &sc.drivers[static_cast<std::size_t>(hi->driver)] : nullptr;
        std::string where;
        if (lod.group && sim::iequals(*lod.group, d.group) && lod.start == d.start) {
          // It shares L_lo's group and start type without tying with it: L_lo has a Tag, and
          // no Tag sorts after every tagged driver of the group (L3).
          where = "an untagged " + std::string(phase_text(d.start)) + " driver in " + d.group +
                  " loads after " + legacy_text(sc, lo) +
                  (hid ? " and before " + legacy_text(sc, *hi) : std::string()) +
                  " in every permitted order (L1: start type first; L3: then ServiceGroupOrder, "
                  "then the tag order, where no Tag comes last)";
        } else if (hid && lod.start == d.start && hid->start == d.start) {
          where = d.group + " sorts after " + lod.group.value_or("") + " (" + lod.name + ", " +
                  lo.altitude.text() + ") and before " + hid->group.value_or("") + " (" +
                  hid->name + ", " + hi->altitude.text() + ") in ServiceGroupOrder, and all " +
                  "three are " + phase_text(d.start) + ", so it loads between them in every " +
                  "permitted order (L1, L3)";
        } else {
          where = "a " + std::string(phase_text(d.start)) + " driver in " + d.group +
                  " loads after " + legacy_text(sc, lo) +
                  (hid ? " and before " + legacy_text(sc, *hi) : std::string()) +
                  " in every permitted order (L1: start type first; L3: then ServiceGroupOrder)";
        }
        d.reason = where + "; " + d.altitude.text() +
                   (own ? " is a fraction of your own altitude inside the group's range"
                        : " is the lowest free altitude of the group's documented range") +
                   " above " + ceiling_text(sc, ceil, lo) +
                   (hi ? " and below " + hi->altitude.text() : std::string()) + " (free: no " +
                   "driver of the scenario uses it" +
                   (use.avoid_allocated ? " and Microsoft's allocated list does not list it" : "") +
                   ").";
        placed = true;
        break;
      }
    }

    // 2. Same group as L_hi, ordered before it by a Tag and a GroupOrderList entry.
    if (!placed && hi && hi->at_boot) {
      const sim::Driver &hid = sc.drivers[static_cast<std::size_t>(hi->driver)];
      const sim::GroupInfo *g = hid.group ? sim::find_group(*hid.group) : nullptr;
      if (g && gpos.contains(sim::ascii_lower(*hid.group))) {
        // Tags used in the group, and its GroupOrderList (keys compare case-insensitively).
        std::set<std::uint32_t> used;
        for (const sim::Driver &x : work.drivers)
          if (x.group && sim::iequals(*x.group, *hid.group) && x.tag)
            used.insert(*x.tag);
        const std::vector<std::uint32_t> *list = nullptr;
        std::string list_key = *hid.group;
        for (const auto &[k, v] : work.group_order_list)
          if (sim::iequals(k, *hid.group)) {
            list = &v;
            list_key = k;
          }
        if (list)
          used.insert(list->begin(), list->end());
        std::uint32_t tag = 1;
        while (used.contains(tag))
          ++tag;
        GroupOrderChange change;
        change.group = list_key;
        change.created = list == nullptr;
        change.tags.push_back(tag);
        if (list) {
          change.tags.insert(change.tags.end(), list->begin(), list->end());
        } else {
          for (std::uint32_t t : used)
            change.tags.push_back(t); // raw tag order, now written out (L3)
        }
        DummyFilter cand = d;
        cand.group = *hid.group;
        cand.start = hid.start;
        cand.altitude = sim::Altitude::from_literal(g->low); // chosen below, once placed
        cand.tag = tag;
        cand.group_order = change;
        cand.placement = Placement::same_group;
        // Check the place with the resolver: after L_lo's class, before L_hi's, in no tie.
        Probe check;
        check.scenario = apply_dummies(work, {cand});
        resolve_positions(check);
        const Window cw = window_of(check, n_real, lo.driver, hi->driver);
        const std::size_t me = check.scenario.drivers.size() - 1;
        if (cw.holds(check.pos[me], check.cls[me])) {
          const Ceiling ceil = ceiling_before(check, n_real, check.pos[me], out);
          bool own = false;
          auto alt = choose_altitude(use, sim::Altitude::from_literal(g->low),
                                     sim::Altitude::from_literal(g->high), ceil.altitude, hi_alt,
                                     false, &own);
          if (alt) {
            cand.altitude = *alt;
            cand.own_altitude = own;
            cand.reason = "no start type and group sorts strictly between " + legacy_text(sc, lo) +
                          " and " + legacy_text(sc, *hi) + ", so the dummy shares " + hid.name +
                          "'s group and start type; Windows loads a group's drivers " +
                          "in random order unless GroupOrderList orders their tags (L3), so " +
                          "it gets Tag " + std::to_string(tag) + " and GroupOrderList\\" +
                          change.group + " lists that tag first; " + cand.altitude.text() +
                          " is free in the group's range above " + ceiling_text(sc, ceil, lo) +
                          " and below " + hi->altitude.text() + ".";
            d = std::move(cand);
            placed = true;
          }
        }
      }
    }

    if (!placed) {
      if (unplaced)
        unplaced->push_back(gap);
      continue;
    }
    use.taken.insert(d.altitude.canonical());
    work = apply_dummies(work, {d});
    ++next_index;
    out.push_back(std::move(d));
  }
  return out;
}

} // namespace fltsim::planner::detail
