#pragma once
// NtObjectManager's Get-FilterDriver / Get-FilterDriverInstance objects as ConvertTo-Json or
// Export-Csv write them. Internal to fltsim_manifest (observed.cpp dispatches here); not installed.
#include <optional>
#include <string>
#include <string_view>

#include "fltsim/observed/observed.hpp"

namespace fltsim::observed::observed_detail {

/// The stack read from a JSON or CSV export, or nullopt if `text` is neither (then it is read
/// as fltmc / !fltkd text).
[[nodiscard]] std::optional<ObservedStack> parse_structured(std::string_view text,
                                                            const std::string &source);

} // namespace fltsim::observed::observed_detail
