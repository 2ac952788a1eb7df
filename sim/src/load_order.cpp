// Load-order resolver: docs/model.md#load-order (L1-L6, Q4/Q5). Boost.Graph stays in this file.
#include "fltsim/sim/load_order.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>

#include "fltsim/sim/findings.hpp"
#include "fltsim/sim/groups.hpp"
#include "fltsim/sim/require.hpp"
#include "name_index.hpp"
#include "resolver.hpp"

namespace fltsim::sim {

bool is_filter_manager(const std::string &name) {
  return iequals(name, "FltMgr");
}

namespace {

// L3 tag keys: listed tags get their 1-based GroupOrderList position; a tag missing from the list
// sorts second to last, no tag last.
constexpr std::uint64_t kTagNotListed = 0xFFFFFFFEull;
constexpr std::uint64_t kNoTag = 0xFFFFFFFFull;

using DependencyGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// The default ServiceGroupOrder, indexed once for every simulation (it was 70 lower-cased copies
// and hash-map nodes per run).
const detail::NameIndex &default_group_positions() {
  static const detail::NameIndex index = [] {
    detail::NameIndex ix(default_service_group_order().size());
    int pos = 0;
    for (std::string_view g : default_service_group_order())
      ix.emplace(g, pos++);
    return ix;
  }();
  return index;
}

// A driver's sort key in `phase` (L3): its group's ServiceGroupOrder position (`group_at`, -1 =
// unlisted or none) and its tag's GroupOrderList position (`listed_at` indexes `gol`, -1 = none).
LoadKey key_for(const Driver &d, int phase, int group_at, int listed_at, std::uint32_t unlisted,
                const std::vector<std::unordered_map<std::uint32_t, std::uint64_t>> &gol) {
  LoadKey k;
  k.phase = phase;
  k.group_index = unlisted;
  if (group_at >= 0)
    k.group_index = static_cast<std::uint32_t>(group_at);
  if (!d.tag) {
    k.tag_index = kNoTag;
  } else if (listed_at >= 0) {
    const auto &positions = gol[static_cast<std::size_t>(listed_at)];
    const auto pos = positions.find(*d.tag);
    k.tag_index = pos == positions.end() ? kTagNotListed : pos->second;
  } else {
    // A group with no GroupOrderList value uses the raw tag as its index (L3).
    k.tag_index = *d.tag;
  }
  return k;
}

// Every container is a reference into the caller's ResolverBuffers (the engine keeps them from
// one run to the next) and is reset before use.
struct Resolver {
  const Scenario &sc;
  LoadPlan &plan;
  detail::ResolverBuffers &buf;
  detail::NameIndex &by_name; // name (case-insensitive) -> first driver index
  detail::NameIndex &own_group_pos;
  const detail::NameIndex *group_pos = nullptr; // ServiceGroupOrder position
  /// GroupOrderList per group (case-insensitive): tag -> 1-based position of its first listing.
  /// Indexed once so that ordering n drivers is not O(n x tags) with a long list
  /// (docs/performance.md).
  detail::NameIndex &gol_groups; // group -> index into gol
  std::vector<std::unordered_map<std::uint32_t, std::uint64_t>> &gol;
  std::vector<bool> &ignored; // FltMgr itself and later duplicates

  Resolver(const Scenario &s, LoadPlan &p, detail::ResolverBuffers &b)
      : sc(s), plan(p), buf(b), by_name(b.by_name), own_group_pos(b.own_group_pos),
        gol_groups(b.gol_groups), gol(b.gol), ignored(b.ignored), group_at(b.group_at),
        listed_at(b.listed_at), in_cycle(b.in_cycle) {
    plan.order.clear();
    plan.phase_of.clear();
    plan.unknown_group.clear();
    plan.errors.clear();
    plan.missing_dependencies.clear();
    // plan.ties keeps its classes' vectors: resolve() reuses them
    by_name.clear(s.drivers.size());
    ignored.assign(s.drivers.size(), false);
    in_cycle.clear();
  }

  void index_names() {
    for (std::size_t i = 0; i < sc.drivers.size(); ++i) {
      const Driver &d = sc.drivers[i];
      if (is_filter_manager(d.name)) {
        ignored[i] = true; // FltMgr is modelled by the engine itself (R1)
        continue;
      }
      auto [first, inserted] = by_name.emplace(d.name, static_cast<int>(i));
      if (!inserted) {
        ignored[i] = true;
        plan.errors.push_back({d.location, "duplicate-driver",
                               "service '" + d.name + "' is declared twice (first as '" +
                                   sc.drivers[static_cast<std::size_t>(first)].name +
                                   "'); service names are unique, case-insensitively"});
        plan.errors.back().fact = rule::duplicate_driver;
      }
    }
    if (sc.service_group_order) {
      own_group_pos.clear(sc.service_group_order->size());
      int pos = 0;
      for (const std::string &g : *sc.service_group_order)
        own_group_pos.emplace(g, pos++);
      group_pos = &own_group_pos;
    } else {
      group_pos = &default_group_positions();
    }
    if (gol_groups.size() != 0 || !sc.group_order_list.empty())
      gol_groups.clear(sc.group_order_list.size());
    gol.clear();
    for (const auto &[group, tags] : sc.group_order_list) {
      auto [at, inserted] = gol_groups.emplace(group, static_cast<int>(gol.size()));
      if (!inserted)
        continue; // the first spelling of a group wins, as before
      auto &positions = gol.emplace_back();
      for (std::size_t i = 0; i < tags.size(); ++i)
        positions.emplace(tags[i], static_cast<std::uint64_t>(i) + 1); // first listing wins
    }
  }

  [[nodiscard]] std::uint32_t unlisted_group_index() const {
    return static_cast<std::uint32_t>(group_pos->size());
  }

  // Per driver: its group's ServiceGroupOrder position and GroupOrderList entry (-1 = none),
  // looked up once.
  std::vector<int> &group_at, &listed_at;
  void index_groups() {
    group_at.assign(sc.drivers.size(), -1);
    listed_at.assign(sc.drivers.size(), -1);
    for (std::size_t i = 0; i < sc.drivers.size(); ++i)
      if (const Driver &d = sc.drivers[i]; d.group) {
        group_at[i] = group_pos->find(*d.group);
        listed_at[i] = gol_groups.find(*d.group);
      }
  }

  LoadKey key_of(std::size_t i, int phase) const {
    return key_for(sc.drivers[i], phase, group_at[i], listed_at[i], unlisted_group_index(), gol);
  }

  // Dependency cycles are input errors that name the cycle (L4).
  void check_cycles() {
    const std::size_t n = sc.drivers.size();
    // Most machines have no dependency between their drivers (FltMgr is not one of them): no
    // edge, no cycle, and no graph to build.
    bool any_edge = false;
    for (std::size_t i = 0; i < n && !any_edge; ++i)
      if (!ignored[i])
        for (const std::string &dep : sc.drivers[i].depends_on)
          if (by_name.contains(dep)) {
            any_edge = true;
            break;
          }
    if (!any_edge)
      return;
    DependencyGraph g(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (ignored[i])
        continue;
      for (const std::string &dep : sc.drivers[i].depends_on) {
        const int at = by_name.find(dep);
        if (at >= 0)
          boost::add_edge(i, static_cast<std::size_t>(at), g);
      }
    }
    std::vector<int> component(n);
    const int count = boost::strong_components(
        g,
        boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, g)));
    std::vector<std::vector<std::size_t>> members(static_cast<std::size_t>(count));
    for (std::size_t i = 0; i < n; ++i)
      members[static_cast<std::size_t>(component[i])].push_back(i);
    // Shared by the walks below and reset after each (path holds every vertex it marks), so many
    // cycles cost O(n + edges), not O(n) each.
    std::vector<bool> seen(n, false);
    for (const auto &m : members) {
      const bool self_loop = m.size() == 1 && boost::edge(m[0], m[0], g).second;
      if (m.size() < 2 && !self_loop)
        continue;
      // Walk the cycle inside the component from its first member for a readable path.
      std::vector<std::size_t> path{m[0]};
      seen[m[0]] = true;
      std::size_t at = m[0];
      for (;;) {
        std::size_t next = n;
        for (auto [e, end] = boost::out_edges(at, g); e != end; ++e) {
          const std::size_t t = boost::target(*e, g);
          if (component[t] == component[m[0]]) {
            next = t;
            if (!seen[t])
              break;
          }
        }
        FLTSIM_REQUIRE(next != n, "a strong component has an edge inside it");
        if (seen[next]) {
          // Trim the prefix that leads into the cycle.
          auto start = std::find(path.begin(), path.end(), next);
          std::vector<std::size_t> cycle(start, path.end());
          std::string text;
          std::vector<std::string> names;
          for (std::size_t v : cycle) {
            text += sc.drivers[v].name + " -> ";
            names.push_back(sc.drivers[v].name);
          }
          text += sc.drivers[next].name;
          plan.errors.push_back({sc.drivers[cycle.front()].location, "dependency-cycle",
                                 "dependency cycle: " + text +
                                     "; the Service Control Manager cannot start these services",
                                 std::move(names)});
          plan.errors.back().fact = rule::dependency_cycle;
          for (std::size_t v : cycle)
            in_cycle.push_back(static_cast<int>(v));
          break;
        }
        seen[next] = true;
        path.push_back(next);
        at = next;
      }
      for (std::size_t v : path)
        seen[v] = false;
    }
  }
  std::vector<int> &in_cycle;

  void resolve(const std::vector<std::vector<int>> &tie_permutation) {
    index_names();
    index_groups();
    check_cycles();
    std::vector<bool> &cyclic = buf.cyclic;
    cyclic.assign(sc.drivers.size(), false);
    for (int v : in_cycle)
      cyclic[static_cast<std::size_t>(v)] = true;

    for (std::size_t i = 0; i < sc.drivers.size(); ++i) {
      const Driver &d = sc.drivers[i];
      if (!ignored[i] && d.group && group_at[i] < 0)
        plan.unknown_group.push_back(static_cast<int>(i));
    }

    // Phases 0 (boot) and 1 (system): group, tag, install order (L3). Dependencies do not apply.
    std::size_t tie_cursor = 0;
    std::size_t ties = 0; // classes of plan.ties in use; the rest are spare from a previous plan
    auto &sorted_phase = buf.sorted_phase;
    for (int phase = 0; phase < 3; ++phase) {
      std::vector<std::pair<LoadKey, int>> &keyed = buf.keyed;
      keyed.clear();
      for (std::size_t i = 0; i < sc.drivers.size(); ++i) {
        const Driver &d = sc.drivers[i];
        if (!ignored[i] && static_cast<int>(d.start) == phase)
          keyed.emplace_back(key_of(i, phase), static_cast<int>(i));
      }
      // Built in driver order, so ordering by (key, driver) is the stable sort by key, without
      // std::stable_sort's buffer.
      std::sort(keyed.begin(), keyed.end());
      std::vector<int> &out = sorted_phase[static_cast<std::size_t>(phase)];
      out.clear();
      for (std::size_t a = 0; a < keyed.size();) {
        std::size_t b = a + 1;
        while (b < keyed.size() && keyed[b].first == keyed[a].first)
          ++b;
        if (b - a >= 2) {
          if (ties == plan.ties.size())
            plan.ties.emplace_back();
          TieClass &tc = plan.ties[ties++];
          tc.drivers.clear();
          for (std::size_t k = a; k < b; ++k)
            tc.drivers.push_back(keyed[k].second);
          if (tie_cursor < tie_permutation.size()) {
            const auto &perm = tie_permutation[tie_cursor];
            FLTSIM_REQUIRE(perm.size() == tc.drivers.size(), "tie permutation size mismatch");
            for (int p : perm)
              out.push_back(tc.drivers[static_cast<std::size_t>(p)]);
          } else {
            out.insert(out.end(), tc.drivers.begin(), tc.drivers.end());
          }
          ++tie_cursor;
        } else {
          out.push_back(keyed[a].second);
        }
        a = b;
      }
    }
    plan.ties.resize(ties);
    for (int phase = 0; phase < 2; ++phase)
      for (int i : sorted_phase[static_cast<std::size_t>(phase)]) {
        plan.order.push_back(i);
        plan.phase_of.push_back(phase);
      }
    order_auto_phase(sorted_phase[2], cyclic);
  }

  // AUTO phase (L4, Q5): group/tag order as ranks, then depends_on. Kahn's algorithm picks
  // the lowest-ranked service whose dependencies have started, so a service moves after the
  // services it depends on. A DEMAND dependency is started by the SCM just before its first
  // dependent (L5).
  void order_auto_phase(const std::vector<int> &sorted_auto, const std::vector<bool> &cyclic) {
    const std::size_t n = sc.drivers.size();
    constexpr std::int64_t unset = -1;
    std::vector<std::int64_t> &rank = buf.rank; // 2*pos+1 for auto, 2*pos for pulled-in demand
    rank.assign(n, unset);
    std::vector<bool> &failed = buf.failed;
    failed.assign(n, false);
    for (std::size_t pos = 0; pos < sorted_auto.size(); ++pos)
      rank[static_cast<std::size_t>(sorted_auto[pos])] = 2 * static_cast<std::int64_t>(pos) + 1;

    auto dep_index = [&](const std::string &dep) -> int {
      if (is_filter_manager(dep))
        return -2; // always running (R1)
      return by_name.find(dep);
    };
    // Pull in DEMAND dependencies, depth first, with the rank of their earliest dependent.
    std::vector<int> &stack = buf.stack;
    stack.assign(sorted_auto.rbegin(), sorted_auto.rend());
    std::vector<int> &members = buf.members;
    members.assign(sorted_auto.begin(), sorted_auto.end());
    std::vector<bool> &visited = buf.visited;
    visited.assign(n, false);
    while (!stack.empty()) {
      const int v = stack.back();
      stack.pop_back();
      if (visited[static_cast<std::size_t>(v)])
        continue;
      visited[static_cast<std::size_t>(v)] = true;
      for (const std::string &dep : sc.drivers[static_cast<std::size_t>(v)].depends_on) {
        const int d = dep_index(dep);
        if (d == -2)
          continue;
        if (d == -1) {
          plan.missing_dependencies.emplace_back(v, dep);
          continue;
        }
        const Driver &dd = sc.drivers[static_cast<std::size_t>(d)];
        if (dd.start == StartType::demand) {
          const std::int64_t r = rank[static_cast<std::size_t>(v)] - 1;
          auto &rd = rank[static_cast<std::size_t>(d)];
          if (rd == unset) {
            rd = r;
            members.push_back(d);
          } else {
            rd = std::min(rd, r);
          }
          stack.push_back(d);
        }
      }
    }
    // Edges dep -> dependent among members; a dependency on a disabled or missing service, or a
    // cycle, means the SCM never starts the dependent (nor what depends on it).
    std::vector<std::vector<int>> &dependents = buf.dependents;
    if (dependents.size() > n)
      dependents.resize(n);
    for (std::vector<int> &d : dependents)
      d.clear();
    dependents.resize(n);
    std::vector<int> &indegree = buf.indegree;
    indegree.assign(n, 0);
    for (int v : members) {
      if (cyclic[static_cast<std::size_t>(v)])
        failed[static_cast<std::size_t>(v)] = true;
      for (const std::string &dep : sc.drivers[static_cast<std::size_t>(v)].depends_on) {
        const int d = dep_index(dep);
        if (d == -2)
          continue;
        if (d == -1) {
          failed[static_cast<std::size_t>(v)] = true;
          continue;
        }
        const StartType st = sc.drivers[static_cast<std::size_t>(d)].start;
        if (st == StartType::disabled || ignored[static_cast<std::size_t>(d)]) {
          failed[static_cast<std::size_t>(v)] = true;
        } else if (rank[static_cast<std::size_t>(d)] != unset) {
          dependents[static_cast<std::size_t>(d)].push_back(v);
          ++indegree[static_cast<std::size_t>(v)];
        }
        // boot/system dependencies are already running (L1)
      }
    }
    // A min-heap on (rank, driver), as std::priority_queue with std::greater would keep it.
    std::vector<std::pair<std::int64_t, int>> &ready = buf.ready;
    ready.clear();
    const std::greater<> later;
    auto push = [&](std::int64_t r, int v) {
      ready.emplace_back(r, v);
      std::push_heap(ready.begin(), ready.end(), later);
    };
    for (int v : members)
      if (indegree[static_cast<std::size_t>(v)] == 0)
        push(rank[static_cast<std::size_t>(v)], v);
    while (!ready.empty()) {
      std::pop_heap(ready.begin(), ready.end(), later);
      const int v = ready.back().second;
      ready.pop_back();
      const bool ok = !failed[static_cast<std::size_t>(v)];
      if (ok) {
        plan.order.push_back(v);
        plan.phase_of.push_back(2);
      }
      for (int w : dependents[static_cast<std::size_t>(v)]) {
        if (!ok)
          failed[static_cast<std::size_t>(w)] = true;
        if (--indegree[static_cast<std::size_t>(w)] == 0)
          push(rank[static_cast<std::size_t>(w)], w);
      }
    }
  }
};

} // namespace

void detail::resolve_load_order(const Scenario &scenario,
                                const std::vector<std::vector<int>> &tie_permutation,
                                LoadPlan &plan, ResolverBuffers &buffers) {
  Resolver(scenario, plan, buffers).resolve(tie_permutation);
}

bool detail::extend_load_order(const Scenario &sc, std::size_t base_drivers, const LoadPlan &base,
                               const ResolverBuffers &base_buffers, LoadPlan &plan) {
  const std::size_t n = sc.drivers.size();
  if (base_drivers > n || base_buffers.group_at.size() != base_drivers ||
      base_buffers.listed_at.size() != base_drivers)
    return false;
  // The appended drivers must leave every other driver where it was: a name of their own (not
  // FltMgr's, not a duplicate: index_names() and the errors unchanged), no dependency of theirs
  // and none on them (the dependency graph, the cycles, the missing dependencies and the AUTO
  // phase unchanged), and a start type whose phase is ordered by key alone (BOOT, SYSTEM) or that
  // does not load at boot (DEMAND, DISABLED: nothing pulls them in).
  for (std::size_t a = base_drivers; a < n; ++a) {
    const Driver &d = sc.drivers[a];
    if (is_filter_manager(d.name) || !d.depends_on.empty() || d.start == StartType::automatic)
      return false;
    for (std::size_t i = 0; i < a; ++i)
      if (iequals(sc.drivers[i].name, d.name))
        return false;
    for (std::size_t i = 0; i < base_drivers; ++i)
      for (const std::string &dep : sc.drivers[i].depends_on)
        if (iequals(dep, d.name))
          return false;
  }
  // The base plan's lookups still hold for its drivers (the caller's contract: the scenario is
  // the base one with drivers appended). Those of the appended drivers, as index_groups() would.
  const detail::NameIndex &group_pos =
      sc.service_group_order ? base_buffers.own_group_pos : default_group_positions();
  const auto unlisted = static_cast<std::uint32_t>(group_pos.size());
  auto lookups = [&](std::size_t i) -> std::pair<int, int> {
    if (i < base_drivers)
      return {base_buffers.group_at[i], base_buffers.listed_at[i]};
    const Driver &d = sc.drivers[i];
    if (!d.group)
      return {-1, -1};
    return {group_pos.find(*d.group), base_buffers.gol_groups.find(*d.group)};
  };
  plan.order = base.order;
  plan.phase_of = base.phase_of;
  plan.unknown_group = base.unknown_group;
  plan.errors = base.errors;
  plan.missing_dependencies = base.missing_dependencies;
  plan.ties.clear(); // not extended: only tie-order exploration reads them, from its own plan
  for (std::size_t a = base_drivers; a < n; ++a) {
    const Driver &d = sc.drivers[a];
    const auto [group_at, listed_at] = lookups(a);
    if (d.group && group_at < 0)
      plan.unknown_group.push_back(static_cast<int>(a)); // in driver order, as resolve() lists
    if (d.start != StartType::boot && d.start != StartType::system)
      continue;
    const int phase = static_cast<int>(d.start);
    const LoadKey key = key_for(d, phase, group_at, listed_at, unlisted, base_buffers.gol);
    // The phase's drivers are sorted by (key, index) and `a` is the highest index so far: it goes
    // before the first driver of its phase with a greater key, else after the last.
    std::size_t at = 0;
    while (at < plan.order.size() && plan.phase_of[at] < phase)
      ++at;
    for (; at < plan.order.size() && plan.phase_of[at] == phase; ++at) {
      const auto i = static_cast<std::size_t>(plan.order[at]);
      const auto [g, l] = lookups(i);
      if (key < key_for(sc.drivers[i], phase, g, l, unlisted, base_buffers.gol))
        break;
    }
    plan.order.insert(plan.order.begin() + static_cast<std::ptrdiff_t>(at), static_cast<int>(a));
    plan.phase_of.insert(plan.phase_of.begin() + static_cast<std::ptrdiff_t>(at), phase);
  }
  return true;
}

LoadPlan resolve_load_order(const Scenario &scenario,
                            const std::vector<std::vector<int>> &tie_permutation) {
  LoadPlan plan;
  detail::ResolverBuffers buffers;
  detail::resolve_load_order(scenario, tie_permutation, plan, buffers);
  return plan;
}

} // namespace fltsim::sim
