#pragma once
// Input errors: something the user wrote cannot be read or is inconsistent.
// Distinct from Findings, which are facts about a well-formed scenario's resulting stack.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/sim/scenario.hpp"

namespace fltsim::sim {

/// How much a finding or a diagnostic matters. A Diagnostic is an error unless its reader says
/// otherwise: a warning is a value that could not be used while the reading went on, a note a
/// fact about how the input was read. Renderers print the severity; they never rewrite it.
enum class Severity : std::uint8_t { note, warning, error };
[[nodiscard]] const char *to_string(Severity s); ///< "note", "warning", "error"

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
  Severity severity = Severity::error;
};

/// A Diagnostic at `where`. Defined out of line on purpose: GCC 12 at -O3 reports a spurious
/// -Wmaybe-uninitialized on brace-initialised Diagnostic temporaries built from string
/// expressions (it follows the exception path of the partly built strings); a call keeps the
/// construction in one translation unit where it does not.
[[nodiscard]] Diagnostic make_diagnostic(SourceLocation where, std::string code,
                                         std::string message);

/// The same with severity warning: the value at `where` could not be used, the reading went on.
[[nodiscard]] Diagnostic make_warning(SourceLocation where, std::string code, std::string message);

/// "file:line:col: SEVERITY[code]: message" (compiler style, e.g. "error[yaml-syntax]"; parts
/// that are unknown are left out).
[[nodiscard]] std::string format_diagnostic(const Diagnostic &d);

} // namespace fltsim::sim
