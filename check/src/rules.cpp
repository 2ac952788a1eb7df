// `fltsim check` rules: see fltsim/check/rules.hpp and docs/rules.md.
#include "fltsim/check/rules.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "fltsim/sim/groups.hpp"
#include "fltsim/sim/require.hpp"

namespace fltsim::check {

using sim::Driver;
using sim::Finding;
using sim::Instance;
using sim::SourceLocation;

namespace {

Finding make_finding(std::string_view code, std::vector<std::string> drivers, std::string message) {
  const sim::RuleInfo *rule = sim::find_rule(code);
  FLTSIM_REQUIRE(rule != nullptr, "check rule is in the catalogue");
  return {std::string(code), rule->severity, std::move(message), std::move(drivers)};
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string range_text(const sim::GroupInfo &g) {
  return "'" + std::string(g.name) + "' (" + std::string(g.low) + "-" + std::string(g.high) + ")";
}

bool in_range(const sim::Altitude &a, const sim::GroupInfo &g) {
  return !(a < sim::Altitude::from_literal(g.low)) && !(sim::Altitude::from_literal(g.high) < a);
}

const sim::GroupInfo *documented_group_containing(const sim::Altitude &a) {
  for (const sim::GroupInfo &g : sim::documented_groups())
    if (in_range(a, g))
      return &g;
  return nullptr;
}

SourceLocation instance_location(const Driver &d, const Instance &i) {
  return i.location.file.empty() ? d.location : i.location;
}

std::string instance_text(const Driver &d, const Instance &i) {
  return "instance '" + i.name + "' of " + d.name;
}

// ---- manifest-only rules ------------------------------------------------------------------

void out_of_group_range(const Driver &d, std::vector<LocatedFinding> &out) {
  if (!d.is_minifilter() || !d.group)
    return;
  const sim::GroupInfo *g = sim::find_group(*d.group);
  if (!g)
    return; // not a documented group: unknown-group (or a non-filter group) says enough
  for (const Instance &i : d.instances) {
    if (in_range(i.altitude, *g))
      continue;
    const sim::GroupInfo *actual = documented_group_containing(i.altitude);
    out.push_back({make_finding(sim::rule::altitude_out_of_group_range, {d.name},
                                "altitude " + i.altitude.text() + " of " + instance_text(d, i) +
                                    " is outside its load order group " + range_text(*g) +
                                    (actual ? "; it lies in " + range_text(*actual)
                                            : std::string("; no documented group covers it")) +
                                    " (docs/model.md#groups)"),
                   instance_location(d, i)});
  }
}

void legacy_not_boot_start(const Driver &d, std::vector<LocatedFinding> &out) {
  if (!d.is_legacy() || d.start == sim::StartType::boot || d.start == sim::StartType::disabled)
    return;
  out.push_back(
      {make_finding(sim::rule::legacy_not_boot_start, {d.name},
                    d.name + " is a legacy filter with start type '" + sim::to_string(d.start) +
                        "'; legacy file system filters must be boot start (L2), or "
                        "they attach above frames that already exist (E5)"),
       d.location});
}

std::string owners_text(const std::vector<const sim::AllocatedAltitude *> &rows) {
  std::string s;
  for (std::size_t k = 0; k < rows.size(); ++k)
    s += (k ? ", " : "") + rows[k]->driver + " (" + rows[k]->company + ", " + rows[k]->group + ")";
  return s;
}

void allocated_elsewhere(const Driver &d, const sim::AllocatedTable &allocated,
                         std::vector<LocatedFinding> &out) {
  if (!d.is_minifilter())
    return;
  for (const Instance &i : d.instances) {
    const auto rows = allocated.at(i.altitude);
    if (rows.empty() || std::any_of(rows.begin(), rows.end(), [&](const auto *r) {
          return allocated_owner_matches(r->driver, d.name);
        }))
      continue;
    std::string own;
    for (const sim::AllocatedAltitude &r : allocated.rows())
      if (allocated_owner_matches(r.driver, d.name))
        own += (own.empty() ? "" : ", ") + r.altitude.text();
    out.push_back(
        {make_finding(
             sim::rule::altitude_allocated_elsewhere, {d.name},
             "altitude " + i.altitude.text() + " of " + instance_text(d, i) + " is allocated to " +
                 owners_text(rows) + " in Microsoft's allocated-altitude list" +
                 (own.empty() ? std::string() : "; the list allocates " + own + " to " + d.name)),
         instance_location(d, i)});
  }
}

// ---- locating engine findings --------------------------------------------------------------

class Locator {
public:
  explicit Locator(const CheckedScenario &c) : c_(c) {
    const auto &ds = c.scenario.drivers;
    for (std::size_t i = 0; i < ds.size(); ++i)
      by_name_.emplace(sim::ascii_lower(ds[i].name), static_cast<int>(i)); // first one wins
  }

  [[nodiscard]] int index(const std::string &name) const {
    auto it = by_name_.find(sim::ascii_lower(name));
    return it == by_name_.end() ? -1 : it->second;
  }
  [[nodiscard]] bool is_manifest(int i) const {
    return i >= 0 && c_.from_manifest[static_cast<std::size_t>(i)];
  }
  [[nodiscard]] const Driver &driver(int i) const {
    return c_.scenario.drivers[static_cast<std::size_t>(i)];
  }

  /// Where to report an engine finding, or nullopt when it involves no manifest driver.
  [[nodiscard]] std::optional<SourceLocation> locate(const Finding &f) const {
    int first = -1;
    for (const std::string &name : f.drivers)
      if (const int i = index(name); is_manifest(i)) {
        first = i;
        break;
      }
    if (first < 0)
      return std::nullopt;
    const Driver &d = driver(first);
    // Instance rules name the instance of each driver (Finding::instances): report at the
    // manifest driver's instance, or, when the finding is about another driver's instance (a
    // collision with a base driver), at this driver's instance of the same altitude (A4).
    if (!f.instances.empty()) {
      if (const Instance *inst = named_instance(d, f.instances.front());
          inst && first == index(f.drivers.front()))
        return instance_location(d, *inst);
      if (const int i0 = index(f.drivers.front()); i0 >= 0)
        if (const Instance *named = named_instance(driver(i0), f.instances.front()))
          for (const Instance &inst : d.instances)
            if (inst.altitude == named->altitude)
              return instance_location(d, inst);
    }
    return d.location;
  }

  /// Finds a manifest driver by the exact location a resolver diagnostic carries.
  [[nodiscard]] int at_location(const SourceLocation &l) const {
    const auto &ds = c_.scenario.drivers;
    for (std::size_t i = 0; i < ds.size(); ++i)
      if (ds[i].location.file == l.file && ds[i].location.line == l.line &&
          ds[i].location.column == l.column)
        return static_cast<int>(i);
    return -1;
  }

private:
  static const Instance *named_instance(const Driver &d, const std::string &name) {
    for (const Instance &i : d.instances)
      if (i.name == name)
        return &i;
    return nullptr;
  }

  const CheckedScenario &c_;
  std::unordered_map<std::string, int> by_name_;
};

void map_resolver_errors(const Locator &loc, const sim::SimResult &r,
                         std::vector<LocatedFinding> &out) {
  for (const sim::Diagnostic &e : r.input_errors) {
    const auto rule = rule_for_diagnostic(e);
    if (!rule)
      continue;
    if (*rule == sim::rule::dependency_cycle) {
      const std::vector<std::string> &members = e.drivers; // the cycle, each member once
      for (const std::string &m : members)
        if (const int i = loc.index(m); loc.is_manifest(i)) {
          out.push_back({make_finding(*rule, members, e.message), loc.driver(i).location});
          break;
        }
    } else if (const int i = loc.at_location(e.location); loc.is_manifest(i)) {
      out.push_back({make_finding(*rule, {loc.driver(i).name}, e.message), e.location});
    }
  }
}

} // namespace

std::optional<std::string_view> rule_for_diagnostic(const sim::Diagnostic &d) {
  if (d.code == sim::rule::invalid_altitude)
    return sim::rule::invalid_altitude;
  if (d.code == sim::rule::duplicate_driver || ends_with(d.code, "-duplicate-service"))
    return sim::rule::duplicate_driver;
  if (d.code == sim::rule::dependency_cycle)
    return sim::rule::dependency_cycle;
  return std::nullopt;
}

bool allocated_owner_matches(std::string_view listed, std::string_view service) {
  // "minispy.sys - Top": the list labels the per-instance altitudes of one driver.
  if (const std::size_t dash = listed.find(" - "); dash != std::string_view::npos)
    listed = listed.substr(0, dash);
  while (!listed.empty() && listed.back() == ' ')
    listed.remove_suffix(1);
  return sim::same_driver_name(listed, service);
}

std::vector<LocatedFinding> driver_rules(const Driver &d, const sim::AllocatedTable &allocated) {
  std::vector<LocatedFinding> out;
  out_of_group_range(d, out);
  legacy_not_boot_start(d, out);
  allocated_elsewhere(d, allocated, out);
  return out;
}

std::vector<LocatedFinding> run_check_rules(const CheckedScenario &checked,
                                            const sim::SimResult &result,
                                            const sim::TieExploration *ties,
                                            const std::vector<sim::Diagnostic> &diagnostics,
                                            const sim::AllocatedTable &allocated) {
  FLTSIM_REQUIRE(checked.from_manifest.size() == checked.scenario.drivers.size(),
                 "from_manifest is parallel to the drivers");
  const Locator loc(checked);
  std::vector<LocatedFinding> out;
  for (const Finding &f : result.findings)
    if (auto where = loc.locate(f))
      out.push_back({f, std::move(*where)});
  for (std::size_t i = 0; i < checked.scenario.drivers.size(); ++i)
    if (checked.from_manifest[i])
      for (LocatedFinding &lf : driver_rules(checked.scenario.drivers[i], allocated))
        out.push_back(std::move(lf));
  if (ties && ties->order_dependent) {
    for (const std::string &name : ties->drivers_involved)
      if (const int i = loc.index(name); loc.is_manifest(i)) {
        std::string names;
        for (std::size_t k = 0; k < ties->drivers_involved.size(); ++k)
          names += (k ? ", " : "") + ties->drivers_involved[k];
        out.push_back({make_finding(sim::rule::order_dependent_outcome, ties->drivers_involved,
                                    "the final stack depends on the load order of " + names +
                                        ", which share start type, load order group and tag; "
                                        "Windows orders them 'generally randomly' (L3, Q4). "
                                        "Give them distinct tags (GroupOrderList) or groups"),
                       loc.driver(i).location});
        break;
      }
  }
  map_resolver_errors(loc, result, out);
  for (const sim::Diagnostic &d : diagnostics)
    if (const auto rule = rule_for_diagnostic(d))
      out.push_back({make_finding(*rule, {}, d.message), d.location});

  auto key = [](const LocatedFinding &f) {
    return std::tie(f.location.file, f.location.line, f.location.column, f.finding.code,
                    f.finding.message);
  };
  std::sort(out.begin(), out.end(),
            [&](const LocatedFinding &a, const LocatedFinding &b) { return key(a) < key(b); });
  out.erase(std::unique(
                out.begin(), out.end(),
                [&](const LocatedFinding &a, const LocatedFinding &b) { return key(a) == key(b); }),
            out.end());
  return out;
}

std::size_t apply_inbox_exceptions(std::vector<LocatedFinding> &findings,
                                   const CheckedScenario &checked,
                                   const std::vector<InboxException> &exceptions) {
  const Locator loc(checked);
  auto covered = [&](const LocatedFinding &lf) {
    const Finding &f = lf.finding;
    if (f.drivers.empty())
      return false;
    const int i = loc.index(f.drivers.front());
    if (i < 0)
      return false;
    const Driver &d = loc.driver(i);
    return std::any_of(exceptions.begin(), exceptions.end(), [&](const InboxException &x) {
      if (x.rule != f.code || !sim::iequals(x.filter, d.name))
        return false;
      if (x.field == "group")
        return d.group && sim::iequals(*d.group, x.windows_value);
      if (x.field == "altitude")
        return std::any_of(d.instances.begin(), d.instances.end(), [&](const Instance &inst) {
          return inst.altitude.text() == x.windows_value;
        });
      return x.field == "name";
    });
  };
  const auto before = findings.size();
  findings.erase(std::remove_if(findings.begin(), findings.end(), covered), findings.end());
  return before - findings.size();
}

void note_inbox_filters(std::vector<LocatedFinding> &findings, const CheckedScenario &checked,
                        const CheckBaseline &baseline) {
  const Locator loc(checked);
  for (LocatedFinding &lf : findings) {
    std::string inbox;
    for (const std::string &name : lf.finding.drivers) {
      const int i = loc.index(name);
      if (i < 0 || loc.is_manifest(i))
        continue; // a manifest driver of an inbox name is the change under review
      if (std::any_of(baseline.inbox_filters.begin(), baseline.inbox_filters.end(),
                      [&](const std::string &n) { return sim::iequals(n, name); }) &&
          inbox.find(name) == std::string::npos)
        inbox += (inbox.empty() ? "" : ", ") + loc.driver(i).name;
    }
    if (!inbox.empty())
      lf.finding.message += " (" + inbox +
                            (inbox.find(',') == std::string::npos ? " is an" : " are") +
                            " inbox filter" + (inbox.find(',') == std::string::npos ? "" : "s") +
                            " of " + baseline.id + ")";
  }
}

bool at_least(sim::Severity s, sim::Severity threshold) {
  return static_cast<int>(s) >= static_cast<int>(threshold);
}

} // namespace fltsim::check
