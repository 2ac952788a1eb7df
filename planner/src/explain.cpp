// Explanations: why no dummy plan exists (one paragraph naming the drivers and the rule), and
// what each dummy does to the stack (which frame it opens, which filters move).
#include <algorithm>
#include <map>
#include <unordered_map>

#include "fltsim/sim/groups.hpp"
#include "internal.hpp"

namespace fltsim::planner::detail {

namespace {

std::string start_text(sim::StartType s) {
  return s == sim::StartType::automatic ? std::string("auto-start")
                                        : std::string(sim::to_string(s)) + "-start";
}

std::string legacy_desc(const sim::Scenario &sc, int i) {
  const sim::Driver &d = drv(sc, i);
  const auto alt = d.group ? sim::legacy_altitude_for_group(*d.group) : std::nullopt;
  return d.name + " (legacy, " + d.group.value_or("no group") + ", " +
         (alt ? alt->text() : std::string("no altitude")) + ", " + start_text(d.start) + ")";
}

std::string mini_desc(const sim::Scenario &sc, int i) {
  const sim::Driver &d = drv(sc, i);
  const sim::Instance *def = d.find_default_instance();
  return d.name + " (" + (def ? def->altitude.text() : std::string("?")) + ", " +
         d.group.value_or("no group") + ", " + start_text(d.start) + ")";
}

bool loads_at_boot(const sim::Driver &d) {
  return d.start == sim::StartType::boot || d.start == sim::StartType::system ||
         d.start == sim::StartType::automatic;
}

/// Why driver `late` can load after driver `early` (L1, L3, L5).
std::string order_reason(const sim::Scenario &sc, int early, int late) {
  const sim::Driver &e = drv(sc, early);
  const sim::Driver &l = drv(sc, late);
  if (!loads_at_boot(l))
    return l.name + " is " + start_text(l.start) +
           " and loads only when an event starts it, after every boot-time driver (L5)";
  if (l.start != e.start)
    return e.name + " is " + start_text(e.start) + " and " + l.name + " is " + start_text(l.start) +
           ", and every " + start_text(e.start) + " driver loads first (L1)";
  if (e.group && l.group && sim::iequals(*e.group, *l.group))
    return "they share " + *e.group + " and the start type, so Windows loads them in random " +
           "order unless GroupOrderList orders their tags (L3)";
  return e.name + "'s group " + e.group.value_or("(none)") + " comes before " + l.name +
         "'s group " + l.group.value_or("(none)") + " in ServiceGroupOrder (L3)";
}

std::string join_names(const std::vector<std::string> &names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i)
    s += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return s;
}

std::string explain_one(const sim::Scenario &sc, const Analysis &an, const Blocker &b) {
  switch (b.kind) {
  case Blocker::Kind::too_early: {
    const int l = b.legacies.front();
    std::string s = mini_desc(sc, b.mini) + " can register before " + legacy_desc(sc, l) +
                    " attaches: " + order_reason(sc, b.mini, l) + ". A legacy filter attaches on " +
                    "top of whatever is on the stack when it loads (R2), and fltmgr puts a " +
                    "minifilter only into a frame that exists when it registers (R3-R5), so " +
                    drv(sc, b.mini).name + " stays below " + drv(sc, l).name +
                    " although its altitude is higher. A dummy only adds frames; it cannot " +
                    "move a frame above a legacy filter that attaches later (R6).";
    return s;
  }
  case Blocker::Kind::no_clean_gap: {
    const int high = b.legacies[0];
    const int low = b.legacies[1];
    return legacy_desc(sc, high) + " is attached below " + legacy_desc(sc, low) + " (" +
           order_reason(sc, high, low) + "), and " + mini_desc(sc, b.mini) +
           " lies between their altitudes, so in any frame it is on the wrong side of one of "
           "them (R2, R6); no dummy changes the order of legacy filters.";
  }
  case Blocker::Kind::frame_zero: {
    const int l = b.legacies.front();
    return mini_desc(sc, b.mini) + " belongs above " + legacy_desc(sc, l) +
           ", but fltmgr creates Frame 0 as [0, 49999] when it starts (R1) and puts a " +
           "minifilter into the lowest frame whose range holds its altitude (R3), so " +
           drv(sc, b.mini).name + " always registers in Frame 0, below every legacy filter. " +
           "A dummy can only open frames above the top frame's high bound (R4), never one " +
           "that low.";
  }
  case Blocker::Kind::no_placement: {
    const LegacyReg &lo = an.legacies[b.gap - 1];
    const bool has_hi = b.gap < an.legacies.size();
    if (!lo.at_boot)
      return legacy_desc(sc, lo.driver) + " is loaded by an event after boot (L5), so no " +
             "boot-time dummy can load after it to open a frame above it (R4).";
    return "No start type, load order group or tag order lets a minifilter load after " +
           legacy_desc(sc, lo.driver) +
           (has_hi ? " and before " + legacy_desc(sc, an.legacies[b.gap].driver) : std::string()) +
           " with an altitude between theirs (L1, L3), so nothing can open the frame that " +
           "gap needs (R4).";
  }
  }
  return {};
}

} // namespace

std::string explain_blockers(const sim::Scenario &sc, const Analysis &an) {
  if (an.blockers.empty())
    return {};
  std::string s = "No dummy minifilter plan exists. " + explain_one(sc, an, an.blockers.front());
  std::vector<std::string> others;
  for (std::size_t i = 1; i < an.blockers.size(); ++i) {
    const Blocker &b = an.blockers[i];
    const std::string name =
        b.mini >= 0 ? drv(sc, b.mini).name : drv(sc, an.legacies[b.gap - 1].driver).name;
    if (std::find(others.begin(), others.end(), name) == others.end())
      others.push_back(name);
  }
  if (!others.empty()) {
    const std::size_t shown = std::min<std::size_t>(others.size(), 8);
    std::vector<std::string> head(others.begin(), others.begin() + static_cast<long>(shown));
    s += " The same kind of problem also affects " + join_names(head) +
         (others.size() > shown ? " and " + std::to_string(others.size() - shown) + " more" : "") +
         ".";
  }
  return s;
}

std::vector<DummyEffect> dummy_effects(const sim::Scenario &fixed, const sim::SimResult &before,
                                       const sim::SimResult &after,
                                       const std::vector<DummyFilter> &dummies) {
  struct Place {
    int frame = -1;
    std::vector<std::string> below; // altitude-bearing legacies below, bottom first
    sim::Altitude altitude = sim::Altitude::from_literal("0");
  };
  auto places = [](const sim::SimResult &r) {
    std::unordered_map<std::string, Place> out;
    std::vector<std::string> below;
    for (const sim::StackEntry &e : r.stack) {
      if (e.kind == sim::StackEntry::Kind::legacy) {
        if (e.altitude)
          below.push_back(e.name);
        continue;
      }
      for (const sim::FrameFilter &f : r.frames[static_cast<std::size_t>(e.frame)].filters)
        out[sim::ascii_lower(f.name)] = {e.frame, below, f.altitude};
    }
    return out;
  };
  const auto pb = places(before);
  const auto pa = places(after);
  auto entry_name = [&](std::size_t i) {
    const sim::StackEntry &e = after.stack[i];
    return e.kind == sim::StackEntry::Kind::frame ? "Frame " + std::to_string(e.frame) : e.name;
  };
  std::vector<DummyEffect> out;
  for (const DummyFilter &d : dummies) {
    DummyEffect ef;
    ef.dummy = d.name;
    const int di = fixed.find_driver(d.name);
    if (di >= 0)
      ef.frame = after.drivers[static_cast<std::size_t>(di)].frame;
    for (const sim::TraceStep &t : after.trace)
      if (t.kind == sim::TraceEvent::frame_create && sim::iequals(t.driver, d.name))
        ef.opened_frame = true;
    for (std::size_t i = 0; i < after.stack.size(); ++i) {
      const sim::StackEntry &e = after.stack[i];
      if (e.kind != sim::StackEntry::Kind::frame || e.frame != ef.frame)
        continue;
      ef.below = i > 0 ? entry_name(i - 1) : "the file system";
      ef.above = i + 1 < after.stack.size() ? entry_name(i + 1) : "";
    }
    if (ef.frame >= 0) {
      for (const sim::FrameFilter &f : after.frames[static_cast<std::size_t>(ef.frame)].filters) {
        const std::string key = sim::ascii_lower(f.name);
        auto b = pb.find(key);
        auto a = pa.find(key);
        if (b == pb.end() || a == pa.end() || b->second.below == a->second.below)
          continue;
        ef.moved.push_back({f.name, f.altitude, b->second.frame, a->second.frame, b->second.below,
                            a->second.below});
      }
    }
    out.push_back(std::move(ef));
  }
  return out;
}

} // namespace fltsim::planner::detail
