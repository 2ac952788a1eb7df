// altitude-out-of-group-range (docs/rules.md#altitude-out-of-group-range): a minifilter instance
// whose altitude lies outside the documented range of its load order group
// (docs/model.md#groups).
#include "../rule_support.hpp"

namespace fltsim::check::detail {

namespace {

// The catalogue entry, then the check: every rule file has this shape (docs/where-things-go.md,
// "A new check rule"); what is alike between them is that convention, not shared logic.
constexpr sim::RuleInfo kInfo{
    rule::altitude_out_of_group_range, sim::Severity::warning,
    "A minifilter's altitude lies outside its load order group's documented range "
    "(docs/model.md#groups)."};

const sim::GroupInfo *documented_group_containing(const sim::Altitude &a) {
  for (const sim::GroupInfo &g : sim::documented_groups())
    if (in_range(a, g))
      return &g;
  return nullptr;
}

void check(const sim::Driver &d, const sim::AllocatedTable &, std::vector<LocatedFinding> &out) {
  if (!d.is_minifilter() || !d.group)
    return;
  const sim::GroupInfo *g = sim::find_group(*d.group);
  if (!g)
    return; // not a documented group: unknown-group (or a non-filter group) says enough
  for (const sim::Instance &i : d.instances) {
    if (in_range(i.altitude, *g))
      continue;
    const sim::GroupInfo *actual = documented_group_containing(i.altitude);
    out.push_back({make_finding(kInfo.id, {d.name},
                                "altitude " + i.altitude.text() + " of " + instance_text(d, i) +
                                    " is outside its load order group " + range_text(*g) +
                                    (actual ? "; it lies in " + range_text(*actual)
                                            : std::string("; no documented group covers it")) +
                                    " (docs/model.md#groups)"),
                   instance_location(d, i)});
  }
}

} // namespace

const DriverRule altitude_out_of_group_range{kInfo, &check};

} // namespace fltsim::check::detail
