#pragma once
// Input errors: something the user wrote cannot be read or is inconsistent.
// Distinct from Findings, which are facts about a well-formed scenario's resulting stack.
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/sim/scenario.hpp"

namespace fltsim::sim {

struct Diagnostic {
  SourceLocation location;
  std::string code;    ///< stable id, e.g. "yaml-syntax", "unknown-key", "dependency-cycle"
  std::string message; ///< one sentence: what is wrong and what was expected
  /// Drivers the diagnostic is about, when it is about drivers (a dependency cycle lists its
  /// members in cycle order, each once).
  std::vector<std::string> drivers = {};
  /// The `check` rule (a sim::rule id) when the diagnostic is a fact about a manifest rather than
  /// unreadable input: an invalid altitude, a service declared twice, a dependency cycle. Empty
  /// for every other diagnostic. `check` reports these as findings (check/rules.hpp).
  std::string_view fact = {};
};

/// A Diagnostic at `where`. Defined out of line on purpose: GCC 12 at -O3 reports a spurious
/// -Wmaybe-uninitialized on brace-initialised Diagnostic temporaries built from string
/// expressions (it follows the exception path of the partly built strings); a call keeps the
/// construction in one translation unit where it does not.
[[nodiscard]] Diagnostic make_diagnostic(SourceLocation where, std::string code,
                                         std::string message);

/// "file:line:col: error[code]: message" (compiler style; parts that are unknown are left out).
[[nodiscard]] std::string format_diagnostic(const Diagnostic &d);

} // namespace fltsim::sim
