#pragma once
// Input errors: something the user wrote cannot be read or is inconsistent.
// Distinct from Findings, which are facts about a well-formed scenario's resulting stack.
#include <string>
#include <vector>

#include "fltsim/sim/scenario.hpp"

namespace fltsim::sim {

struct Diagnostic {
  SourceLocation location;
  std::string code;    ///< stable id, e.g. "yaml-syntax", "unknown-key", "dependency-cycle"
  std::string message; ///< one sentence: what is wrong and what was expected
};

/// "file:line:col: error[code]: message" (compiler style; parts that are unknown are left out).
[[nodiscard]] std::string format_diagnostic(const Diagnostic &d);

} // namespace fltsim::sim
