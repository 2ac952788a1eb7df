#pragma once
// Renderers for simulation results: text drawing, JSON, `fltmc filters`, `fltmc instances` and
// `!fltkd.frames` layouts. Pure functions of (Scenario, SimResult) -> string.
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
/// `fltmc filters` layout: legacy rows first (stack top first), then minifilters by descending
/// altitude (docs/model.md#output-formats, Q7).
[[nodiscard]] std::string render_fltmc(const sim::Scenario &sc, const sim::SimResult &r);
/// `fltmc instances` layout: one row per attached instance and volume (legacy filters: one row
/// per volume with Frame `<Legacy>`). A scenario without `volumes:` has one volume, shown as "C:".
[[nodiscard]] std::string render_fltmc_instances(const sim::Scenario &sc, const sim::SimResult &r);
/// `!fltkd.frames` layout: frames newest first, filters by descending altitude with instances.
[[nodiscard]] std::string render_fltkd(const sim::Scenario &sc, const sim::SimResult &r);
/// Findings as "severity[code]: message" lines.
[[nodiscard]] std::string render_findings(const sim::SimResult &r);

} // namespace fltsim::cli
