#pragma once
// Renderers for simulation results: text drawing and JSON. Pure functions of (Scenario, SimResult)
// -> string. The `fltmc` and `!fltkd` layouts are written by fltsim_manifest, beside their readers
// (fltsim/manifest/observed.hpp).
#include <string>

#include <nlohmann/json.hpp>

#include "fltsim/sim/engine.hpp"

namespace fltsim::cli {

/// A readable stack drawing (top of the stack first, the file system at the bottom), the load
/// order and the findings; with `trace`, the numbered replay.
[[nodiscard]] std::string render_text(const sim::Scenario &sc, const sim::SimResult &r, bool trace);
/// The `simulate --format json` document (names stable, docs/scenario-format.md).
[[nodiscard]] nlohmann::json to_json(const sim::Scenario &sc, const sim::SimResult &r, bool trace);
/// One finding as JSON: {"code","severity","message","drivers"}.
[[nodiscard]] nlohmann::json finding_json(const sim::Finding &f);
/// One trace step as JSON.
[[nodiscard]] nlohmann::json trace_json(const sim::TraceStep &t);
/// Findings as "severity[code]: message" lines.
[[nodiscard]] std::string render_findings(const sim::SimResult &r);

/// Text for one cell of a Markdown table or a Markdown paragraph (the `--format markdown`
/// outputs): one line, HTML metacharacters as entities, Markdown punctuation (| * _ ` [ ] ...)
/// backslash-escaped, so it renders as the literal text in GitHub's and other CommonMark hosts.
[[nodiscard]] std::string markdown_text(const std::string &s);
/// `s` as the destination of a Markdown link: <, >, spaces, parentheses percent-encoded.
[[nodiscard]] std::string markdown_url(const std::string &s);

} // namespace fltsim::cli
