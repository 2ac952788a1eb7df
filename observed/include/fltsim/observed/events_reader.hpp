#pragma once
// FilterManager event 6 ("File System Filter 'X' (...) has successfully loaded and registered
// with Filter Manager") read from the System log as support engineers export it: `wevtutil qe
// System /q:"*[System[Provider[@Name='Microsoft-Windows-FilterManager'] and (EventID=6)]]"
// /f:text`, `Get-WinEvent ... | Format-List`, `... | Export-Csv` and `... | ConvertTo-Json`.
// The records give the order minifilters registered in (docs/import.md#events). Pure text ->
// data: no IO, never throws.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::observed {

/// Records of one event log (any event id); over it the log gives an `error[limit]` diagnostic
/// and no events (docs/reliability.md#limits). Records are limited to max_record_bytes and JSON
/// to max_json_depth (observed.hpp).
inline constexpr std::size_t max_event_records = 100000;

/// One event 6 record.
struct FilterLoadEvent {
  std::string filter; ///< the name in quotes in the message
  std::string time;   ///< as printed (ISO 8601 from wevtutil; locale text from Get-WinEvent)
  int line = 0;       ///< line of the message
  int boot = 0;       ///< 0-based boot the record belongs to (a name seen again starts a boot)
};

struct FilterEventLog {
  /// Oldest first: wevtutil prints oldest first, Get-WinEvent newest first (reversed here),
  /// ISO or /Date(ms)/ timestamps are sorted.
  std::vector<FilterLoadEvent> events;
  int boots = 0;
  std::vector<std::string> notes;           ///< how the order was decided
  std::vector<sim::Diagnostic> diagnostics; ///< "events-row": a record that names no filter
  /// The filters of the last boot in registration order.
  [[nodiscard]] std::vector<std::string> load_order() const;
};

[[nodiscard]] FilterEventLog parse_filter_events(std::string_view utf8_text,
                                                 const std::string &source_name);

} // namespace fltsim::observed
