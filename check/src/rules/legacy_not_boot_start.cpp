// legacy-not-boot-start (docs/rules.md#legacy-not-boot-start): a legacy filter that is not boot
// start attaches above frames that already exist (L2, E5).
#include "../rule_support.hpp"

namespace fltsim::check::detail {

namespace {

// The catalogue entry, then the check: every rule file has this shape (docs/where-things-go.md,
// "A new check rule"); what is alike between them is that convention, not shared logic.
constexpr sim::RuleInfo kInfo{
    rule::legacy_not_boot_start, sim::Severity::warning,
    "A legacy filter is not boot-start; legacy FS filters must use BOOT start (L2) or they "
    "attach above frames created earlier."};

void check(const sim::Driver &d, const sim::AllocatedTable &, std::vector<LocatedFinding> &out) {
  if (!d.is_legacy() || d.start == sim::StartType::boot || d.start == sim::StartType::disabled)
    return;
  out.push_back(
      {make_finding(kInfo.id, {d.name},
                    d.name + " is a legacy filter with start type '" + sim::to_string(d.start) +
                        "'; legacy file system filters must be boot start (L2), or "
                        "they attach above frames that already exist (E5)"),
       d.location});
}

} // namespace

const DriverRule legacy_not_boot_start{kInfo, &check};

} // namespace fltsim::check::detail
