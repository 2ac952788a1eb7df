#pragma once
// The one capture policy (docs/import.md): how `import`, `compare`, `import --observed`, `fleet`
// and anything later read a capture and its event log. Every line of a capture is read or
// reported: unreadable lines stop the command (an input error) unless `lenient`, a capture with no
// listing stops it, and an event log with errors stops it (with `lenient`, only when it gives no
// event at all).
#include <optional>
#include <string>
#include <vector>

#include "fltsim/observed/observed.hpp"
#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::observed {

/// A capture as read under the policy, with the load order of its event log.
struct CaptureInput {
  ObservedStack stack;
  std::vector<std::string> load_order; ///< from the event log, oldest first; empty without one
};

struct CaptureRead {
  std::optional<CaptureInput> input;        ///< nullopt: the command must stop (input error)
  std::vector<sim::Diagnostic> diagnostics; ///< to show the user, in reading order
  /// One sentence on skipped or unreadable lines, for the command to prefix with its name:
  /// "3 line(s) of the capture could not be read ...", "--lenient: skipped the 3 line(s) ...".
  std::optional<std::string> summary;
};

/// Reads `capture` and, when `events` is not empty, the FilterManager event log. Never throws.
[[nodiscard]] CaptureRead read_capture(const std::string &capture, const std::string &events,
                                       bool lenient);

} // namespace fltsim::observed
