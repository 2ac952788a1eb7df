#pragma once
// `fltsim fleet` output (docs/fleet.md): a machine's JSONL record and the summary as text and a
// self-contained HTML page with inline SVG charts. The summary's JSON document, which
// `fltsim fleet --merge` reads back, is fleet/summary_json.hpp.
#include <string>

#include "fltsim/fleet/fleet.hpp"

namespace fltsim::cli {

/// One JSONL line (no newline): {"machine","build","outcome","responsible","moved",
/// "new_findings","errors","source"}.
[[nodiscard]] std::string fleet_record_json(const fleet::MachineResult &r);

[[nodiscard]] std::string summary_text(const fleet::Summary &s);
[[nodiscard]] std::string summary_html(const fleet::Summary &s);

} // namespace fltsim::cli
