#pragma once
// What `fltsim import` and `fltsim compare` read the same way (docs/import.md): a capture, every
// line of which is read or reported (exit 2 unless --lenient), and an optional FilterManager
// event log giving the observed load order.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "fltsim/manifest/observed.hpp"

namespace fltsim::cli {

struct ObservedInput {
  manifest::ObservedStack stack;
  std::vector<std::string> load_order; ///< from --events, oldest first; empty without it
};

/// Reads `capture` and, when `events` is not empty, the event log. Prints the diagnostics to
/// `err`; returns nullopt when the command must stop with exit 2: the file cannot be read, it
/// holds no listing, a line could not be read and `lenient` is off, or the event log has errors
/// (with `lenient`, only when it gives no event at all). `command` names the subcommand in
/// messages ("import").
[[nodiscard]] std::optional<ObservedInput> read_observed_input(const std::string &command,
                                                               const std::string &capture,
                                                               const std::string &events,
                                                               bool lenient, std::ostream &err);

} // namespace fltsim::cli
