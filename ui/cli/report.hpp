#pragma once
// Renderers for simulation results: text drawing and JSON. Pure functions of (Scenario, SimResult)
// -> string. The `fltmc` and `!fltkd` layouts are written by fltsim_manifest, beside their readers
// (fltsim/manifest/observed.hpp).
#include <string>

#include "fltsim/io/text.hpp"

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

/// Text for a Markdown table cell or paragraph (io/text.hpp).
using io::markdown_text;
/// `s` as the destination of a Markdown link: <, >, spaces, parentheses percent-encoded.
[[nodiscard]] std::string markdown_url(const std::string &s);

} // namespace fltsim::cli
