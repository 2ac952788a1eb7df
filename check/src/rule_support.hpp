#pragma once
// Internal to fltsim_check: what the rule files share. A rule of `check` keeps its id (the
// check::rule constant or, for facts the readers report, sim::rule), its catalogue entry
// (RuleInfo: severity and one-line summary; the doc is docs/rules.md#<id>) and its logic in one
// file under check/src/rules/; check/src/catalogue.cpp lists the entries in report order.
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "fltsim/check/rules.hpp"
#include "fltsim/sim/allocated.hpp"
#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/findings.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::check::detail {

/// A finding of rule `code` with the catalogue's severity (check::find_rule; the rule must be
/// in the catalogue).
[[nodiscard]] sim::Finding make_finding(std::string_view code, std::vector<std::string> drivers,
                                        std::string message);

[[nodiscard]] bool in_range(const sim::Altitude &a, const sim::GroupInfo &g);
[[nodiscard]] std::string range_text(const sim::GroupInfo &g);
[[nodiscard]] sim::SourceLocation instance_location(const sim::Driver &d, const sim::Instance &i);
[[nodiscard]] std::string instance_text(const sim::Driver &d, const sim::Instance &i);

/// A rule that looks at one manifest driver alone (driver_rules()).
struct DriverRule {
  const sim::RuleInfo &info;
  void (*check)(const sim::Driver &d, const sim::AllocatedTable &allocated,
                std::vector<LocatedFinding> &out);
};

// The rules, each defined in its own file under check/src/rules/.
extern const DriverRule altitude_out_of_group_range;  // rules/altitude_out_of_group_range.cpp
extern const DriverRule legacy_not_boot_start;        // rules/legacy_not_boot_start.cpp
extern const DriverRule altitude_allocated_elsewhere; // rules/altitude_allocated_elsewhere.cpp
extern const sim::RuleInfo order_dependent_outcome;   // rules/order_dependent_outcome.cpp
extern const sim::RuleInfo invalid_altitude;          // rules/facts.cpp
extern const sim::RuleInfo dependency_cycle;          // rules/facts.cpp
extern const sim::RuleInfo duplicate_driver;          // rules/facts.cpp
extern const sim::RuleInfo kind_evidence;             // rules/facts.cpp

/// Finds the drivers a finding names in the checked scenario, and where to report it.
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
  [[nodiscard]] const sim::Driver &driver(int i) const {
    return c_.scenario.drivers[static_cast<std::size_t>(i)];
  }

  /// Where to report an engine finding, or nullopt when it involves no manifest driver.
  [[nodiscard]] std::optional<sim::SourceLocation> locate(const sim::Finding &f) const {
    int first = -1;
    for (const std::string &name : f.drivers)
      if (const int i = index(name); is_manifest(i)) {
        first = i;
        break;
      }
    if (first < 0)
      return std::nullopt;
    const sim::Driver &d = driver(first);
    // Instance rules name the instance of each driver (Finding::instances): report at the
    // manifest driver's instance, or, when the finding is about another driver's instance (a
    // collision with a base driver), at this driver's instance of the same altitude (A4).
    if (!f.instances.empty()) {
      if (const sim::Instance *inst = named_instance(d, f.instances.front());
          inst && first == index(f.drivers.front()))
        return instance_location(d, *inst);
      if (const int i0 = index(f.drivers.front()); i0 >= 0)
        if (const sim::Instance *named = named_instance(driver(i0), f.instances.front()))
          for (const sim::Instance &inst : d.instances)
            if (inst.altitude == named->altitude)
              return instance_location(d, inst);
    }
    return d.location;
  }

  /// Finds a manifest driver by the exact location a resolver diagnostic carries.
  [[nodiscard]] int at_location(const sim::SourceLocation &l) const {
    const auto &ds = c_.scenario.drivers;
    for (std::size_t i = 0; i < ds.size(); ++i)
      if (ds[i].location.file == l.file && ds[i].location.line == l.line &&
          ds[i].location.column == l.column)
        return static_cast<int>(i);
    return -1;
  }

private:
  static const sim::Instance *named_instance(const sim::Driver &d, const std::string &name) {
    for (const sim::Instance &i : d.instances)
      if (i.name == name)
        return &i;
    return nullptr;
  }

  const CheckedScenario &c_;
  std::unordered_map<std::string, int> by_name_;
};

/// The order-dependent-outcome finding for `ties`, reported at the first manifest driver among
/// the tied drivers; none when the outcome is not order dependent.
void order_dependent_findings(const Locator &loc, const sim::TieExploration &ties,
                              std::vector<LocatedFinding> &out);

/// The findings of resolver diagnostics that are facts (dependency-cycle, duplicate-driver),
/// at the manifest driver they are about.
void resolver_fact_findings(const Locator &loc, const sim::SimResult &r,
                            std::vector<LocatedFinding> &out);

} // namespace fltsim::check::detail
