#pragma once
// `fltsim fleet` output (docs/fleet.md): a machine's JSONL record and the summary as text, JSON
// (read back by `fltsim fleet --merge`) and a self-contained HTML page with inline SVG charts.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "fltsim/fleet/fleet.hpp"

namespace fltsim::cli {

/// One JSONL line (no newline): {"machine","build","outcome","responsible","moved",
/// "new_findings","errors","source"}.
[[nodiscard]] std::string fleet_record_json(const fleet::MachineResult &r);

/// The summary document; every count is kept, so summary_from_json(summary_json(s)) == s.
[[nodiscard]] nlohmann::json summary_json(const fleet::Summary &s);
/// Reads a summary document; nullopt and *error on a document of another shape.
[[nodiscard]] std::optional<fleet::Summary> summary_from_json(const nlohmann::json &j,
                                                              std::string *error);

[[nodiscard]] std::string summary_text(const fleet::Summary &s);
[[nodiscard]] std::string summary_html(const fleet::Summary &s);

} // namespace fltsim::cli
