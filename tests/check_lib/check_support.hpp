#pragma once
// Helpers shared by the check library's test files.
#include <algorithm>
#include <cstddef>
#include <string_view>

#include "fltsim/check/check.hpp"

namespace fltsim::check {

/// How many findings of `r` have the rule id `code`.
inline std::size_t count(const CheckReport &r, std::string_view code) {
  return static_cast<std::size_t>(
      std::count_if(r.findings.begin(), r.findings.end(),
                    [&](const LocatedFinding &f) { return f.finding.code == code; }));
}

} // namespace fltsim::check
