#pragma once
// Renderers for `fltsim plan`: the JSON document (names stable, docs/planner.md) and the explaining
// text. Pure functions of (Scenario, PlanResult) -> string / json.
#include <string>

#include <nlohmann/json.hpp>

#include "fltsim/planner/planner.hpp"

namespace fltsim::cli {

/// The `plan --format json` document:
/// {"status", "dummies", "alternatives", "verified", "before_findings", "after_findings", ...}.
[[nodiscard]] nlohmann::json plan_json(const sim::Scenario &sc, const planner::PlanResult &p);

/// One dummy as JSON (also used inside alternatives).
[[nodiscard]] nlohmann::json dummy_json(const planner::DummyFilter &d);

/// The text report: status, the stack before, each dummy (why, which frame it opens, which
/// filters move), the stack after, verification, or the infeasibility paragraph and alternatives.
[[nodiscard]] std::string render_plan_text(const sim::Scenario &sc, const planner::PlanResult &p);

/// The `plan --format markdown` summary (GitHub job summaries, PR comments; docs/ci.md): status,
/// the dummies as a table, the findings before and after, the alternatives, and the before/after
/// picture: `stack_svg` (an <svg> drawn already) inline in a <details> block, or `stack_image`
/// (a URL) as an image; both empty = no picture.
[[nodiscard]] std::string render_plan_markdown(const sim::Scenario &sc,
                                               const planner::PlanResult &p,
                                               const std::string &stack_svg = {},
                                               const std::string &stack_image = {});

/// A compact stack listing, top of the stack first, frames with their minifilters.
[[nodiscard]] std::string render_stack_compact(const sim::SimResult &r,
                                               const std::vector<std::string> &mark = {});

} // namespace fltsim::cli
