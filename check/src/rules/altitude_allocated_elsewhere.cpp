// altitude-allocated-elsewhere (docs/rules.md#altitude-allocated-elsewhere): an instance altitude
// that Microsoft's allocated-altitude list (data/allocated-altitudes.csv) gives to another driver.
#include <algorithm>

#include "../rule_support.hpp"

namespace fltsim::check::detail {

namespace {

constexpr sim::RuleInfo kInfo{
    rule::altitude_allocated_elsewhere, sim::Severity::warning,
    "Microsoft's allocated-altitude list assigns this altitude to another driver."};

std::string owners_text(const std::vector<const sim::AllocatedAltitude *> &rows) {
  std::string s;
  for (std::size_t k = 0; k < rows.size(); ++k)
    s += (k ? ", " : "") + rows[k]->driver + " (" + rows[k]->company + ", " + rows[k]->group + ")";
  return s;
}

void check(const sim::Driver &d, const sim::AllocatedTable &allocated,
           std::vector<LocatedFinding> &out) {
  if (!d.is_minifilter())
    return;
  for (const sim::Instance &i : d.instances) {
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
             kInfo.id, {d.name},
             "altitude " + i.altitude.text() + " of " + instance_text(d, i) + " is allocated to " +
                 owners_text(rows) + " in Microsoft's allocated-altitude list" +
                 (own.empty() ? std::string() : "; the list allocates " + own + " to " + d.name)),
         instance_location(d, i)});
  }
}

} // namespace

const DriverRule altitude_allocated_elsewhere{kInfo, &check};

} // namespace fltsim::check::detail
