#pragma once
// The planner's differential test (tests/planner/differential_test.cpp): a seeded generator of
// small random stacks, an engine-only oracle and an exhaustive search over a grid of candidate
// dummies. Nothing here calls the planner: the search knows only the engine (sim::simulate) and
// the acceptance rule of docs/planner.md ("Verification"): no altitude-inversion and no finding
// outside the input's own, in every permitted load order.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/groups.hpp"
#include "fltsim/sim/load_order.hpp"

namespace fltsim::test::diff {

/// Documented groups; `with_altitude` drops FSFilter Infrastructure (no legacy altitude).
inline std::vector<const sim::GroupInfo *> groups(bool with_altitude) {
  std::vector<const sim::GroupInfo *> out;
  for (const sim::GroupInfo &g : sim::documented_groups())
    if (!with_altitude || !g.legacy_altitude.empty())
      out.push_back(&g);
  return out;
}

inline std::uint64_t to_u64(std::string_view s) {
  return std::stoull(std::string(s));
}

inline std::uint64_t orders_of(const sim::Scenario &sc) {
  std::uint64_t total = 1;
  for (const sim::TieClass &t : sim::resolve_load_order(sc).ties)
    for (std::uint64_t k = 2; k <= t.drivers.size(); ++k)
      total = total > UINT64_MAX / k ? UINT64_MAX : total * k;
  return total;
}

/// A random stack: 1-5 legacy filters (a third of them `kind: both`; mostly boot-start, some
/// system-start; a quarter reuse an earlier legacy filter's group, so equal legacy altitudes and
/// ties are common; the low groups FSFilter System and FSFilter Bottom are drawn often) and 1-6
/// minifilters (boot, system or auto start; altitudes inside their group's range, one in ten in
/// another group's range; an occasional demand-start one loaded by an event). Tags: none, every
/// driver tagged uniquely inside its group (one permitted order), or random tags from {1,2,3}
/// with an occasional GroupOrderList. At most 24 permitted orders (otherwise the tags are made
/// unique).
inline sim::Scenario random_stack(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  const auto all = groups(false);
  const auto bearing = groups(true);
  const sim::GroupInfo *low[] = {sim::find_group("FSFilter System"),
                                 sim::find_group("FSFilter Bottom")};
  sim::Scenario sc;
  sc.title = "differential stack " + std::to_string(seed);
  std::set<std::string> used_alt;
  auto altitude_in = [&](const sim::GroupInfo &g) {
    const std::uint64_t lo = to_u64(g.low), hi = to_u64(g.high);
    for (;;) {
      const std::string a = std::to_string(lo + pick(static_cast<std::size_t>(hi - lo + 1)));
      if (used_alt.insert(a).second)
        return a;
    }
  };
  auto add_instance = [&](sim::Driver &d, const std::string &a) {
    d.instances.push_back({d.name + " Instance", sim::Altitude::from_literal(a), 0, {}, {}});
    d.default_instance = d.name + " Instance";
  };

  const std::size_t n_legacy = 1 + pick(5);
  std::vector<std::string> legacy_groups;
  for (std::size_t i = 0; i < n_legacy; ++i) {
    sim::Driver d;
    const bool both = chance(1.0 / 3);
    d.name = (both ? "B" : "L") + std::to_string(i + 1);
    d.kind = both ? sim::DriverKind::both : sim::DriverKind::legacy;
    const sim::GroupInfo *g = nullptr;
    if (!legacy_groups.empty() && chance(0.25))
      g = sim::find_group(legacy_groups[pick(legacy_groups.size())]);
    else if (chance(0.25))
      g = low[pick(2)];
    else if (chance(0.04))
      g = sim::find_group("FSFilter Infrastructure"); // no legacy altitude (E3)
    else
      g = bearing[pick(bearing.size())];
    d.group = std::string(g->name);
    legacy_groups.push_back(*d.group);
    d.start = chance(0.8) ? sim::StartType::boot : sim::StartType::system;
    if (both)
      add_instance(d, altitude_in(*g));
    sc.drivers.push_back(std::move(d));
  }
  const std::size_t n_mini = 1 + pick(6);
  for (std::size_t i = 0; i < n_mini; ++i) {
    sim::Driver d;
    d.name = "M" + std::to_string(i + 1);
    const sim::GroupInfo *g = chance(0.15) ? low[pick(2)] : all[pick(all.size())];
    d.group = std::string(g->name);
    const sim::GroupInfo *range = chance(0.1) ? all[pick(all.size())] : g;
    if (chance(0.05)) {
      d.start = sim::StartType::demand;
      sc.events.push_back({sim::Event::Kind::load, d.name, {}});
    } else {
      d.start = static_cast<sim::StartType>(pick(3));
    }
    add_instance(d, altitude_in(*range));
    sc.drivers.push_back(std::move(d));
  }
  // Shuffle the manifest (install) order so that ties are broken differently.
  std::shuffle(sc.drivers.begin(), sc.drivers.end(), rng);

  auto unique_tags = [&] {
    sc.group_order_list.clear();
    std::map<std::string, std::uint32_t> next;
    for (sim::Driver &d : sc.drivers)
      d.tag = ++next[sim::ascii_lower(d.group.value_or(""))];
  };
  switch (pick(3)) {
  case 0:
    break; // untagged: ties inside (start type, group)
  case 1:
    unique_tags();
    break;
  default: {
    std::set<std::string> tagged_groups;
    for (sim::Driver &d : sc.drivers)
      if (chance(0.4)) {
        d.tag = static_cast<std::uint32_t>(1 + pick(3));
        tagged_groups.insert(*d.group);
      }
    for (const std::string &g : tagged_groups)
      if (chance(0.3)) {
        std::vector<std::uint32_t> list{1, 2, 3};
        std::shuffle(list.begin(), list.end(), rng);
        list.resize(1 + pick(3));
        sc.group_order_list[g] = list;
      }
    break;
  }
  }
  if (orders_of(sc) > 24)
    unique_tags();
  return sc;
}

/// Identity of a finding for "no new findings": code plus the drivers it names.
inline std::string finding_key(const sim::Finding &f) {
  std::string k = f.code;
  for (const std::string &d : f.drivers)
    k += "|" + sim::ascii_lower(d);
  return k;
}

/// Counts the engine runs of one check (the search's cost).
struct Counter {
  std::uint64_t simulations = 0;
};

/// Calls fn(result) on every permitted tie order of `sc`, manifest order first, until it returns
/// false. Returns false if it was stopped.
template <class Fn> bool each_order(const sim::Scenario &sc, Counter &c, Fn &&fn) {
  const sim::LoadPlan lp = sim::resolve_load_order(sc);
  std::vector<std::vector<int>> perm;
  for (const sim::TieClass &t : lp.ties) {
    std::vector<int> p(t.drivers.size());
    for (std::size_t i = 0; i < p.size(); ++i)
      p[i] = static_cast<int>(i);
    perm.push_back(std::move(p));
  }
  sim::SimOptions so;
  so.record_trace = false;
  for (;;) {
    so.tie_permutation = perm;
    ++c.simulations;
    if (!fn(sim::simulate(sc, so)))
      return false;
    std::size_t k = 0;
    while (k < perm.size() && !std::next_permutation(perm[k].begin(), perm[k].end()))
      ++k;
    if (k == perm.size())
      return true;
  }
}

/// The input's non-inversion findings over every permitted order.
inline std::set<std::string> baseline(const sim::Scenario &sc, Counter &c) {
  std::set<std::string> keys;
  each_order(sc, c, [&](const sim::SimResult &r) {
    for (const sim::Finding &f : r.findings)
      if (f.code != sim::rule::altitude_inversion)
        keys.insert(finding_key(f));
    return true;
  });
  return keys;
}

/// The acceptance rule: no input error, no altitude-inversion and no finding outside `base` in
/// any permitted order (stops at the first bad order).
inline bool clean(const sim::Scenario &sc, const std::set<std::string> &base, Counter &c) {
  return each_order(sc, c, [&](const sim::SimResult &r) {
    if (!r.input_errors.empty())
      return false;
    for (const sim::Finding &f : r.findings)
      if (f.code == sim::rule::altitude_inversion || !base.contains(finding_key(f)))
        return false;
    return true;
  });
}

/// A proof, read off the engine's replay of some permitted order of `sc`, that no set of added
/// minifilters can make `sc` clean. Added drivers change neither the keys nor the relative
/// order of the others, so that order stays permitted (with the additions somewhere in it), and
/// in it one of these stays true whatever registers in between:
///  * a minifilter registered before a legacy filter with a lower altitude attached: its frame
///    existed when it registered, the legacy filter attaches on top of the stack (R2) and frames
///    are only ever added on top (R4), so it stays below that legacy filter;
///  * a minifilter at or below 49999 sits below a legacy filter with a lower altitude: Frame 0
///    holds [0, 49999] from the start (R1) and R3 picks the lowest frame that holds the
///    altitude, so it is always in Frame 0, below every legacy filter;
///  * two legacy filters attached out of altitude order (X below Y, X higher) and a minifilter
///    strictly between their altitudes: below X it is below Y, above Y it is above X, between
///    them it is above X, so one of the two is always on its wrong side (R6).
/// Only shortens the search: the search would find no fix either.
inline bool unfixable(const sim::Scenario &sc, Counter &c) {
  const sim::LoadPlan lp = sim::resolve_load_order(sc);
  std::vector<std::vector<int>> perm;
  for (const sim::TieClass &t : lp.ties) {
    std::vector<int> p(t.drivers.size());
    for (std::size_t i = 0; i < p.size(); ++i)
      p[i] = static_cast<int>(i);
    perm.push_back(std::move(p));
  }
  const sim::Altitude frame_zero = sim::Altitude::from_literal("49999");
  auto legacy_alt = [&](int i) {
    const sim::Driver &d = sc.drivers[static_cast<std::size_t>(i)];
    return d.group ? sim::legacy_altitude_for_group(*d.group) : std::nullopt;
  };
  auto default_alt = [&](int i) -> const sim::Altitude * {
    const sim::Instance *def = sc.drivers[static_cast<std::size_t>(i)].find_default_instance();
    return def ? &def->altitude : nullptr;
  };
  sim::SimOptions so;
  so.record_trace = true;
  for (;;) {
    so.tie_permutation = perm;
    ++c.simulations;
    const sim::SimResult r = sim::simulate(sc, so);
    for (const sim::Finding &f : r.findings) {
      if (f.drivers.size() != 2)
        continue;
      const int a = sc.find_driver(f.drivers[0]);
      const int b = sc.find_driver(f.drivers[1]);
      if (a < 0 || b < 0)
        continue;
      if (f.code == sim::rule::altitude_inversion) {
        const sim::Altitude *m = default_alt(a);
        const auto l = legacy_alt(b);
        if (!m || !l || !(*m > *l))
          continue; // not "below a legacy filter with a lower altitude"
        if (!(*m > frame_zero))
          return true;
        int registered = -1, attached = -1;
        for (const sim::TraceStep &t : r.trace) {
          if (registered < 0 && t.kind == sim::TraceEvent::register_filter &&
              sim::iequals(t.driver, f.drivers[0]))
            registered = t.step;
          if (attached < 0 && t.kind == sim::TraceEvent::legacy_attach &&
              sim::iequals(t.driver, f.drivers[1]))
            attached = t.step;
        }
        if (registered >= 0 && attached >= 0 && registered < attached)
          return true;
      } else if (f.code == sim::rule::legacy_order_inversion) {
        const auto hi = legacy_alt(a), lo = legacy_alt(b); // a sits below b, a is higher
        if (!hi || !lo)
          continue;
        for (std::size_t i = 0; i < sc.drivers.size(); ++i) {
          const int d = static_cast<int>(i);
          const sim::Altitude *m = default_alt(d);
          if (d != a && d != b && m && r.drivers[i].frame >= 0 && r.drivers[i].loaded && *m > *lo &&
              *m < *hi)
            return true;
        }
      }
    }
    std::size_t k = 0;
    while (k < perm.size() && !std::next_permutation(perm[k].begin(), perm[k].end()))
      ++k;
    if (k == perm.size())
      return false;
  }
}

/// One candidate dummy of the grid, and the GroupOrderList value it needs (tag-first variants in
/// a group that has a list: the dummy's tag first, then the list).
struct Candidate {
  sim::Driver driver;
  std::optional<std::pair<std::string, std::vector<std::uint32_t>>> group_order;
};

/// The grid of candidate dummies: every group that has a legacy altitude (FSFilter
/// Infrastructure's range lies below Frame 0's ceiling and below every legacy altitude) at the
/// bottom, the middle and the top of its documented range (moved to the nearest free altitude if
/// the stack uses it), boot and system start, untagged, Flags 0x1, as the planner's dummies; plus,
/// at the middle, a variant that loads first in its group (Tag 0: the raw tag orders a group
/// without GroupOrderList, L3; a group with a list gets the tag listed first), as the planner's
/// same-group dummies do. `coarse`: the untagged middle ones only.
inline std::vector<Candidate> grid(const sim::Scenario &sc, bool coarse = false) {
  std::set<std::string> used;
  for (const sim::Driver &d : sc.drivers)
    for (const sim::Instance &i : d.instances)
      used.insert(i.altitude.canonical());
  std::vector<Candidate> out;
  auto add = [&](const sim::GroupInfo &g, std::uint64_t a, sim::StartType st, bool first) {
    Candidate c;
    sim::Driver &d = c.driver;
    d.name = "Grid" + std::to_string(out.size() + 1);
    d.kind = sim::DriverKind::minifilter;
    d.group = std::string(g.name);
    d.start = st;
    d.depends_on = {"FltMgr"};
    d.instances.push_back(
        {d.name + " Instance", sim::Altitude::from_literal(std::to_string(a)), 0x1, {}, {}});
    d.default_instance = d.name + " Instance";
    if (first) {
      d.tag = 0;
      for (const auto &[k, v] : sc.group_order_list)
        if (sim::iequals(k, g.name)) {
          std::vector<std::uint32_t> list{0};
          list.insert(list.end(), v.begin(), v.end());
          c.group_order = std::make_pair(k, std::move(list));
        }
    }
    out.push_back(std::move(c));
  };
  for (const sim::GroupInfo *g : groups(true)) {
    const std::uint64_t lo = to_u64(g->low), hi = to_u64(g->high), mid = (lo + hi) / 2;
    std::vector<std::uint64_t> bases{mid};
    if (!coarse)
      bases = {lo, mid, hi};
    for (std::uint64_t base : bases) {
      std::uint64_t a = base;
      const bool down = base == hi;
      while (used.contains(std::to_string(a)))
        a = down ? a - 1 : a + 1;
      for (sim::StartType st : {sim::StartType::boot, sim::StartType::system}) {
        add(*g, a, st, false);
        if (!coarse && base == mid)
          add(*g, a, st, true);
      }
    }
  }
  return out;
}

/// `sc` plus the candidates `pick` (nullopt when two of them collide: one altitude, or two
/// GroupOrderList values for one group).
inline std::optional<sim::Scenario> with_candidates(const sim::Scenario &sc,
                                                    const std::vector<Candidate> &pool,
                                                    const std::vector<std::size_t> &pick) {
  std::set<std::string> alts, lists;
  for (std::size_t i : pick) {
    if (!alts.insert(pool[i].driver.instances.front().altitude.canonical()).second)
      return std::nullopt;
    if (pool[i].driver.tag && !lists.insert(sim::ascii_lower(*pool[i].driver.group)).second)
      return std::nullopt;
  }
  sim::Scenario s = sc;
  for (std::size_t i : pick) {
    s.drivers.push_back(pool[i].driver);
    if (pool[i].group_order)
      s.group_order_list[pool[i].group_order->first] = pool[i].group_order->second;
  }
  return s;
}

/// A set of exactly `k` grid dummies (indices into the grid) that makes `sc` clean, if any.
/// Colliding sets (with_candidates) are skipped.
inline std::optional<std::vector<std::size_t>>
search(const sim::Scenario &sc, const std::vector<Candidate> &pool, std::size_t k,
       const std::set<std::string> &base, Counter &c) {
  if (k == 0)
    return clean(sc, base, c) ? std::optional<std::vector<std::size_t>>(std::vector<std::size_t>{})
                              : std::nullopt;
  const std::size_t n = pool.size();
  if (k > n)
    return std::nullopt;
  std::vector<std::size_t> pick(k);
  for (std::size_t i = 0; i < k; ++i)
    pick[i] = i;
  for (;;) {
    if (auto s = with_candidates(sc, pool, pick); s && clean(*s, base, c))
      return pick;
    std::size_t i = k;
    while (i > 0 && pick[i - 1] == n - k + i - 1)
      --i;
    if (i == 0)
      return std::nullopt;
    ++pick[i - 1];
    for (std::size_t j = i; j < k; ++j)
      pick[j] = pick[j - 1] + 1;
  }
}

/// Text of a grid set for failure messages.
inline std::string describe(const std::vector<Candidate> &pool,
                            const std::vector<std::size_t> &set) {
  std::string s;
  for (std::size_t i : set) {
    const sim::Driver &d = pool[i].driver;
    s += (s.empty() ? "" : "; ") + *d.group + " " + sim::to_string(d.start) + " " +
         d.instances.front().altitude.text() + (d.tag ? " (first in its group)" : "");
  }
  return s.empty() ? "no dummy" : s;
}

} // namespace fltsim::test::diff
