// Gap analysis (docs/planner.md, "Algorithm"): which gaps between legacy filters need a frame,
// which of those no existing minifilter opens in every permitted load order, and what no dummy
// can fix.
//
// Model (docs/model.md, R1-R5). Number the altitude-bearing legacy filters in registration order
// A[0..n-1]; gap g lies above A[0..g-1] and below A[g..n-1]. A minifilter M with altitude m is
// clean in gap g iff every legacy below has altitude <= m and every legacy above >= m, which is
// the interval [g_lo, g_hi]. M registers in window p (p legacies are attached) and can only land
// in a frame at a gap <= p. The top frame's high bound is always the largest of 49999 (R1), the
// altitudes of the legacy filters attached so far (R5) and of the minifilters registered so far
// (R4), so a registration opens (or grows) a frame of its own exactly when it is above all of
// them; a frame of gap g therefore starts at or above floor[g] = max(49999, A[0..g-1]). So M is
// clean iff it is above its ceiling (everything before it) in a clean window, or a frame of a
// clean gap g <= p with floor[g] < m exists when it registers. Tie orders move M's window inside
// [p_min, p_max] (its tie class's legacies) and can put its tie class's minifilters before it.
#include <algorithm>
#include <unordered_map>

#include "fltsim/sim/groups.hpp"
#include "internal.hpp"

namespace fltsim::planner::detail {

Analysis analyze(const sim::Scenario &sc, const sim::SimResult &base) {
  Analysis an;
  const std::size_t n_drivers = sc.drivers.size();
  std::unordered_map<std::string, int> by_name;
  for (std::size_t i = 0; i < n_drivers; ++i)
    by_name.emplace(sim::ascii_lower(sc.drivers[i].name), static_cast<int>(i));
  const sim::LoadPlan lp = sim::resolve_load_order(sc);
  std::vector<int> cls(n_drivers, -1);
  for (std::size_t c = 0; c < lp.ties.size(); ++c)
    for (int d : lp.ties[c].drivers)
      cls[static_cast<std::size_t>(d)] = static_cast<int>(c);
  std::vector<bool> at_boot(n_drivers, false);
  for (int d : lp.order)
    at_boot[static_cast<std::size_t>(d)] = true;

  // The registration sequence of the base replay: legacy attaches and minifilter registrations.
  struct Reg {
    bool legacy;
    int driver;
  };
  std::vector<Reg> seq;
  for (const sim::TraceStep &t : base.trace) {
    const bool legacy = t.kind == sim::TraceEvent::legacy_attach;
    if (!legacy && t.kind != sim::TraceEvent::register_filter)
      continue;
    auto it = by_name.find(sim::ascii_lower(t.driver));
    if (it != by_name.end())
      seq.push_back({legacy, it->second});
  }
  std::vector<std::size_t> legacy_seq; // seq index of each A entry
  std::vector<std::size_t> last_register(n_drivers, SIZE_MAX);
  for (std::size_t i = 0; i < seq.size(); ++i) {
    const sim::Driver &d = sc.drivers[static_cast<std::size_t>(seq[i].driver)];
    if (seq[i].legacy) {
      if (!d.group)
        continue;
      if (auto alt = sim::legacy_altitude_for_group(*d.group)) {
        an.legacies.push_back(
            {seq[i].driver, *alt, at_boot[static_cast<std::size_t>(seq[i].driver)]});
        legacy_seq.push_back(i);
      }
    } else {
      last_register[static_cast<std::size_t>(seq[i].driver)] = i;
    }
  }
  const std::size_t n = an.legacies.size();
  const sim::Altitude frame_zero_high = sim::Altitude::from_literal("49999"); // R1

  // Floors and openable gaps (R1, R4, R5).
  an.floor.assign(n + 1, frame_zero_high);
  an.openable.assign(n + 1, false);
  for (std::size_t g = 1; g <= n; ++g) {
    an.floor[g] = std::max(an.floor[g - 1], an.legacies[g - 1].altitude);
    an.openable[g] = g == n || an.floor[g] < an.legacies[g].altitude;
  }
  auto default_altitude = [&](int d) -> const sim::Altitude * {
    const sim::Instance *def = sc.drivers[static_cast<std::size_t>(d)].find_default_instance();
    return def ? &def->altitude : nullptr;
  };

  // The highest default altitudes registered before each point of the sequence, and inside each
  // tie class, kept from two different drivers so that a minifilter's own can be left out
  // (linear, so that planning a large stack stays cheap).
  struct TopTwo {
    const sim::Altitude *first = nullptr, *second = nullptr;
    int first_driver = -1;
    void add(const sim::Altitude *a, int d) {
      if (!a)
        return;
      if (d == first_driver) {
        if (*a > *first)
          first = a;
      } else if (!first || *a > *first) {
        second = first;
        first = a;
        first_driver = d;
      } else if (!second || *a > *second) {
        second = a;
      }
    }
    [[nodiscard]] const sim::Altitude *other_than(int d) const {
      return d == first_driver ? second : first;
    }
  };
  std::vector<TopTwo> registered_before(seq.size() + 1);
  std::vector<TopTwo> class_registered(lp.ties.size());
  for (std::size_t i = 0; i < seq.size(); ++i) {
    registered_before[i + 1] = registered_before[i];
    if (seq[i].legacy)
      continue;
    const sim::Altitude *a = default_altitude(seq[i].driver);
    registered_before[i + 1].add(a, seq[i].driver);
    if (const int c = cls[static_cast<std::size_t>(seq[i].driver)]; c >= 0)
      class_registered[static_cast<std::size_t>(c)].add(a, seq[i].driver);
  }

  struct Need {
    int mini;
    std::vector<std::size_t> options;
  };
  std::vector<Need> wants;
  std::vector<GapNeed> needs(n + 1);
  for (std::size_t i = 0; i < n + 1; ++i)
    needs[i].gap = i;
  for (std::size_t di = 0; di < n_drivers; ++di) {
    const std::size_t at = last_register[di];
    if (at == SIZE_MAX)
      continue;
    const sim::DriverOutcome &o = base.drivers[di];
    if (!o.loaded || o.frame < 0)
      continue;
    const sim::Altitude *def = default_altitude(static_cast<int>(di));
    if (!def)
      continue;
    MiniReg m;
    m.driver = static_cast<int>(di);
    m.altitude = *def;
    std::size_t before = 0, class_before = 0, class_after = 0;
    for (std::size_t j = 0; j < n; ++j) {
      const int ld = an.legacies[j].driver;
      const bool earlier = legacy_seq[j] < at;
      if (earlier)
        ++before;
      if (ld != m.driver && cls[di] >= 0 && cls[static_cast<std::size_t>(ld)] == cls[di])
        ++(earlier ? class_before : class_after);
    }
    m.p = before;
    m.p_min = before - class_before;
    m.p_max = before + class_after;
    // Clean gaps [g_lo, g_hi]: g_lo = 1 + last legacy below m, g_hi = first legacy above m
    // (a kind-both driver's own legacy registration never conflicts with itself).
    m.g_lo = 0;
    m.g_hi = n;
    bool seen_above = false;
    for (std::size_t j = 0; j < n; ++j) {
      if (an.legacies[j].driver == m.driver)
        continue;
      if (an.legacies[j].altitude < m.altitude)
        m.g_lo = j + 1;
      if (!seen_above && an.legacies[j].altitude > m.altitude) {
        m.g_hi = j;
        seen_above = true;
      }
    }
    // The top frame's highest possible bound when it registers: 49999 (R1), the legacy filters
    // that can attach before it, its own legacy device included (R5), and the minifilters that
    // can register before it (R4 grows or opens frames up to them). Tie orders can move the
    // members of its tie class in front of it.
    m.ceiling = an.floor[std::min(m.p_max, n)];
    if (const sim::Altitude *a = registered_before[at].other_than(m.driver))
      m.ceiling = std::max(m.ceiling, *a);
    if (cls[di] >= 0)
      if (const sim::Altitude *a =
              class_registered[static_cast<std::size_t>(cls[di])].other_than(m.driver))
        m.ceiling = std::max(m.ceiling, *a);
    const MiniReg &mr = an.minis.emplace_back(std::move(m));
    if (mr.g_lo > mr.g_hi) {
      // An earlier legacy filter is higher than a later one with mr between them: whatever
      // frame mr is in, one of the two is on the wrong side of it.
      Blocker b{Blocker::Kind::no_clean_gap, mr.driver, {}, 0};
      b.legacies.push_back(an.legacies[mr.g_hi].driver);
      b.legacies.push_back(an.legacies[mr.g_lo - 1].driver);
      an.blockers.push_back(std::move(b));
      continue;
    }
    if (mr.g_lo >= 1 && mr.altitude <= frame_zero_high) {
      // Frame 0 is created as [0, 49999] (R1) and R3 picks the lowest frame that holds the
      // altitude, so this minifilter always joins Frame 0, below every legacy filter.
      Blocker b{Blocker::Kind::frame_zero, mr.driver, {}, 0};
      b.legacies.push_back(an.legacies[mr.g_lo - 1].driver);
      an.blockers.push_back(std::move(b));
      continue;
    }
    if (mr.p_min < mr.g_lo) {
      // In some permitted order it registers before a legacy filter that belongs below it.
      Blocker b{Blocker::Kind::too_early, mr.driver, {}, 0};
      for (std::size_t j = mr.p_min; j < mr.g_lo; ++j)
        if (an.legacies[j].driver != mr.driver && an.legacies[j].altitude < mr.altitude)
          b.legacies.push_back(an.legacies[j].driver);
      an.blockers.push_back(std::move(b));
      continue;
    }
    if (mr.g_lo == 0)
      continue; // Frame 0 always exists below every legacy filter (R1)
    if (mr.p_max <= mr.g_hi && mr.altitude > mr.ceiling) {
      // Above every frame and in a clean gap whenever it registers: R5 raises the top frame to
      // the legacy filters below it, it still does not fit, and R4 opens (or grows) a frame of
      // its own there. With a fixed window that frame exists for every later registration.
      an.minis.back().opens_own = true;
      if (mr.p_min == mr.p_max) {
        needs[mr.p].minis.push_back(mr.driver);
        needs[mr.p].natural = true;
      }
      continue;
    }
    // Otherwise a frame must already exist when it registers (in the earliest order: gap <=
    // p_min), in a clean gap, starting below its altitude (the gap's floor) and openable.
    std::vector<std::size_t> options, unplaceable;
    const std::size_t last = std::min(mr.g_hi, mr.p_min);
    for (std::size_t g = mr.g_lo; g <= last; ++g) {
      if (!(mr.altitude > an.floor[g]) || !an.openable[g])
        continue;
      (an.legacies[g - 1].at_boot ? options : unplaceable).push_back(g);
    }
    if (!options.empty()) {
      an.minis.back().options = options;
      wants.push_back({mr.driver, std::move(options)});
      continue;
    }
    if (!unplaceable.empty()) {
      // The legacy filter below its gap is loaded by an event after boot (L5).
      an.blockers.push_back({Blocker::Kind::no_placement, mr.driver, {}, unplaceable.front()});
      continue;
    }
    // Every clean gap's frame would start at or above its altitude: a legacy filter attached
    // below the one under its gap is higher than it (its own legacy device, or an equal
    // altitude), so R5 raises the top frame past it before any frame there can open.
    std::size_t high = mr.g_lo - 1;
    for (std::size_t j = 0; j < mr.g_lo; ++j)
      if (!(an.legacies[j].altitude < mr.altitude))
        high = j;
    if (high != mr.g_lo - 1) {
      an.blockers.push_back({Blocker::Kind::no_clean_gap,
                             mr.driver,
                             {an.legacies[high].driver, an.legacies[mr.g_lo - 1].driver},
                             0});
    } else {
      an.blockers.push_back({Blocker::Kind::no_placement, mr.driver, {}, mr.g_lo});
    }
  }

  // One frame serves every minifilter whose options hold its gap: choose the fewest gaps that
  // meet every minifilter's options (points stabbing intervals: take the highest option of the
  // minifilter whose highest option is lowest, skip those it or a natural gap already serves).
  std::stable_sort(wants.begin(), wants.end(), [](const Need &a, const Need &b) {
    return a.options.back() < b.options.back();
  });
  std::vector<bool> chosen(n + 1, false);
  for (const Need &w : wants) {
    std::size_t at = SIZE_MAX;
    for (std::size_t g : w.options)
      if (needs[g].natural || chosen[g])
        at = g;
    if (at == SIZE_MAX) {
      at = w.options.back();
      chosen[at] = true;
    }
    needs[at].minis.push_back(w.mini);
  }
  for (GapNeed &g : needs)
    if (!g.minis.empty()) {
      if (!g.natural)
        an.needed.push_back(g.gap);
      an.gaps.push_back(std::move(g));
    }
  return an;
}

std::vector<std::size_t> candidate_gaps(const Analysis &an) {
  std::vector<std::size_t> out;
  for (std::size_t g = 1; g < an.openable.size(); ++g)
    if (an.openable[g] && an.legacies[g - 1].at_boot)
      out.push_back(g);
  return out;
}

} // namespace fltsim::planner::detail
