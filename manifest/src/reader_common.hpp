#pragma once
// Private: what the INF and .reg manifest readers share: the instance keys they collect, and how
// their result becomes an IncludeResult that never throws (docs/reliability.md: bad input is a
// located diagnostic, never a crash).
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "fltsim/machine/service_kind.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"

namespace fltsim::manifest::detail {

/// One `Instances\<name>` key as a manifest writes it: where it was first seen, and its
/// Altitude and Flags values when written.
struct InstanceRec {
  std::string name;
  sim::SourceLocation first;
  std::optional<std::string> altitude;
  sim::SourceLocation altitude_loc;
  std::optional<std::uint32_t> flags;
};

/// Runs `Reader(text, source, out).run()`, sorts its diagnostics by location and, if the reader
/// throws (std::bad_alloc on absurd input), returns no drivers and a `limit` error naming
/// `what` ("the INF", "the .reg file").
template <class Reader>
IncludeResult read_guarded(std::string_view text, const std::string &source, const char *what) {
  IncludeResult out;
  try {
    Reader(text, source, out).run();
    machine::sort_by_location(out.diagnostics);
  } catch (const std::exception &e) {
    out.drivers.clear();
    out.diagnostics.push_back(machine::make_diag(
        {source, 0, 0}, "limit", std::string(what) + " could not be read: " + e.what()));
  }
  return out;
}

} // namespace fltsim::manifest::detail
