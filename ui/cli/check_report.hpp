#pragma once
// `fltsim check` output formats (docs/check.md, "Output formats"): the front end's rendering of
// fltsim_check's CheckReport (fltsim/check/check.hpp). Pure functions: no IO, no clock, so the
// same inputs give byte-identical output.
//  * text:  compiler style, `file:line:col: error[altitude-collision]: message`, then a summary.
//  * json:  {"findings": [...]}, each finding as in `simulate --format json` plus file/line/column.
//  * sarif: SARIF 2.1.0 for GitHub code scanning (rules with help links, results with
//           %SRCROOT%-relative locations and partial fingerprints, input errors as notifications).
//  * junit: JUnit XML, one <testsuite> per manifest file, one <testcase> per rule.
//  * markdown: a summary for GitHub job summaries and PR comments: the verdict, a findings table
//           with file:line links, input errors, and the simulated stack as SVG (docs/ci.md).
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fltsim/check/check.hpp"

namespace fltsim::cli {

using check::CheckReport;

[[nodiscard]] std::string render_check_text(const CheckReport &r);
[[nodiscard]] nlohmann::json check_json(const CheckReport &r);

struct SarifOptions {
  std::string tool_version;
  /// Base of the rules' helpUri ("<rules_uri>#<rule-id>") and the tool's informationUri.
  std::string rules_uri;
  std::string information_uri;
  /// Absolute directory that %SRCROOT% stands for; relative input paths are resolved against
  /// `cwd` (absolute) first.
  std::filesystem::path srcroot;
  std::filesystem::path cwd;
};
[[nodiscard]] nlohmann::json check_sarif(const CheckReport &r, const SarifOptions &o);

/// `path` as a URI reference: '/' separators, RFC 3986 percent-encoding of everything else that
/// is not unreserved.
[[nodiscard]] std::string uri_escape_path(const std::string &path);

[[nodiscard]] std::string check_junit(const CheckReport &r);

struct MarkdownOptions {
  /// Prefix of the file links: `<link_base>/<path>#L<line>` (on GitHub:
  /// `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA`); empty = links relative to
  /// `srcroot`.
  std::string link_base;
  /// Rule ids link to `<rules_uri>#<rule-id>` (docs/rules.md); empty = no rule links.
  std::string rules_uri;
  /// The stack picture, an <svg> element drawn already (fltsim/viewer/svg.hpp), put inline in a
  /// <details> block; empty = none.
  std::string stack_svg;
  /// Or a URL of the picture, shown as an image (hosts that strip inline SVG); empty = none.
  std::string stack_image;
  std::string stack_caption; ///< the <details> summary line / the image's alt text
  /// As SarifOptions: absolute input paths are linked relative to `srcroot` (`cwd` resolves
  /// relative ones). Empty = paths as reported.
  std::filesystem::path srcroot;
  std::filesystem::path cwd;
};
[[nodiscard]] std::string check_markdown(const CheckReport &r, const MarkdownOptions &o);
// ---- one run per Windows baseline (`--baseline`, docs/baselines.md) --------------------------
// Each report carries its baseline (CheckReport::baseline). Text: one section per baseline, then a
// table of outcomes per baseline. JSON: {"baselines": [{"baseline", "completeness", "outcome",
// "findings", "input_errors", ...}]}. SARIF: one run whose results each name their baseline
// (properties.baseline, the message's "[id]" prefix, the fingerprint). JUnit: one <testsuite> per
// manifest file and baseline, named "FILE [id]".

/// "pass" (nothing at or above --fail-on), "fail", or "input-error".
[[nodiscard]] std::string check_outcome(const CheckReport &r);
[[nodiscard]] std::string render_check_text_baselines(const std::vector<CheckReport> &reports);
[[nodiscard]] nlohmann::json check_json_baselines(const std::vector<CheckReport> &reports);
[[nodiscard]] nlohmann::json check_sarif_baselines(const std::vector<CheckReport> &reports,
                                                   const SarifOptions &o);
[[nodiscard]] std::string check_junit_baselines(const std::vector<CheckReport> &reports);

/// Text safe for XML 1.0 character data and attribute values: & < > " ' escaped, characters XML
/// forbids (C0 controls other than tab/newline/CR, invalid UTF-8) replaced by U+FFFD.
[[nodiscard]] std::string xml_escape(std::string_view s);

} // namespace fltsim::cli
