#pragma once
// The summary document (docs/fleet.md#output): what `--format json` and `--summary FILE` write and
// `--merge` reads back. Every count is kept, so read_summary(summary_json_text(s)) == s, and
// summaries of partitions of a fleet merge into the summary of the whole (fleet.hpp, merge).
#include <optional>
#include <string>
#include <string_view>

#include "fltsim/fleet/fleet.hpp"
#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::fleet {

/// The document, indented by two spaces, without a final newline.
[[nodiscard]] std::string summary_json_text(const Summary &s);

/// Reads a summary document. On bad input: nullopt and `error` located in `source` (not JSON,
/// nesting past the limit, a number out of range, another shape, counts that do not add up or
/// add up past 2^64 - 1).
[[nodiscard]] std::optional<Summary> read_summary(std::string_view text, const std::string &source,
                                                  sim::Diagnostic &error);

} // namespace fltsim::fleet
