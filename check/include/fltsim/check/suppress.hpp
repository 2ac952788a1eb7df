#pragma once
// `fltsim check --suppress FILE`: accepted findings (docs/check.md, "Suppressions").
//
// One suppression per line, fields separated by blanks, '#' starts a comment:
//
//   # rule-id                   driver            path-glob
//   altitude-allocated-elsewhere Minifilter-Driver
//   altitude-collision           *                 vendor/*.inf
//   order-dependent-outcome
//
//  * rule-id: a rule of docs/rules.md; an unknown id is an error (file:line:col, exit 2).
//  * driver (optional, default *): matches when the finding names this driver (case-insensitive,
//    ".sys" optional); * matches any finding.
//  * path-glob (optional, default *): fnmatch(3) pattern over the finding's file as reported
//    (`*` also crosses '/'); a glob without '/' is matched against the file name only.
// Fields holding blanks can be written in double quotes.
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/check/rules.hpp"

namespace fltsim::check {

struct Suppression {
  std::string rule;
  std::string driver = "*";
  std::string glob = "*";
  sim::SourceLocation location;
};

struct SuppressionList {
  std::vector<Suppression> entries;
  std::vector<sim::Diagnostic> errors;
};

[[nodiscard]] SuppressionList parse_suppressions(std::string_view text, const std::string &source);

/// True when `s` covers finding `f`.
[[nodiscard]] bool suppresses(const Suppression &s, const LocatedFinding &f);

} // namespace fltsim::check
