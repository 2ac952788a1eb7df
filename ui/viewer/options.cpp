#include "options.hpp"

#include <cstdio>
#include <filesystem>
#include <vector>

#include <CLI/CLI.hpp>

#include "fltsim/frontend/exit_codes.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"

namespace fltsim::viewer {

std::optional<fltsim::frontend::Outcome> parse_options(int argc, char **argv, Options &o) {
  CLI::App cli{"fltsim-view: draws the filter stack fltsim simulates and replays the load step by "
               "step.\nWithout --screenshot or --bench-frames it opens a window.",
               "fltsim-view"}; // named, not argv[0]: --help (and the man page) show no path
  cli.add_option("scenario", o.scenario,
                 "scenario file to open (.yaml), or a machine's evidence as `fltsim "
                 "diagnose` reads it (a fltmc / !fltkd / NtObjectManager capture, a .reg export, "
                 "a SYSTEM hive, a bundle folder): its stack with the diagnosis beside it");
  cli.add_option("--screenshot", o.screenshot,
                 "render offscreen (needs an X display, e.g. xvfb-run), write a PNG and exit");
  cli.add_option("--layout-json", o.layout_json,
                 "with --screenshot: write where the stack's boxes were drawn, as JSON");
  cli.add_option("--step", o.step, "show the stack as of this trace step (0 = before boot)");
  std::string size;
  cli.add_option("--size", size, "window or image size, WxH (default 1600x1000)");
  cli.add_flag("--apply-plan", o.apply_plan, "run the planner and apply its fix first");
  cli.add_option("--tab", o.tab, "side panel to show: drivers, findings, trace, planner, diagnosis")
      ->check(CLI::IsMember({"drivers", "findings", "trace", "planner", "diagnosis"}));
  cli.add_option("--bench-frames", o.bench_frames,
                 "render this many frames as fast as possible, print frame times and exit")
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--bench-mode", o.bench_mode,
                 "scrub: move the timeline every frame (re-simulate and re-layout); static: redraw")
      ->check(CLI::IsMember({"scrub", "static"}));
  cli.add_option("--bench-json", o.bench_json, "also write the frame-time statistics as JSON");
  cli.add_option("--baseline", o.baselines,
                 "show the scenario on this Windows baseline (see `fltsim baselines`); with "
                 "several builds, the first, with the overlays given")
      ->allow_extra_args(false);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    // --help prints and exits 0; anything else is a usage error (README "Exit codes").
    return cli.exit(e) == 0 ? fltsim::frontend::Outcome::clean
                            : fltsim::frontend::Outcome::input_error;
  }
  if (!o.baselines.empty()) {
    const baselines::BaselineRuns runs = baselines::resolve_baseline_runs(o.baselines);
    if (!runs.error.empty()) {
      std::fprintf(stderr, "fltsim-view: --baseline: %s\n", runs.error.c_str());
      return fltsim::frontend::Outcome::input_error;
    }
    o.baseline_parts = runs.runs.front().parts;
  }
  if (!size.empty()) {
    int w = 0;
    int h = 0;
    char extra = 0;
    if (std::sscanf(size.c_str(), "%dx%d%c", &w, &h, &extra) != 2 || w < 320 || h < 240 ||
        w > 8192 || h > 8192) {
      std::fprintf(stderr, "fltsim-view: --size must be WxH between 320x240 and 8192x8192\n");
      return fltsim::frontend::Outcome::input_error;
    }
    o.width = w;
    o.height = h;
    o.size_given = true;
  }
  if (!o.layout_json.empty() && o.screenshot.empty()) {
    std::fprintf(stderr, "fltsim-view: --layout-json needs --screenshot\n");
    return fltsim::frontend::Outcome::input_error;
  }
  if ((!o.screenshot.empty() || o.bench_frames > 0) && o.scenario.empty()) {
    std::fprintf(stderr, "fltsim-view: --screenshot and --bench-frames need a scenario file\n");
    return fltsim::frontend::Outcome::input_error;
  }
  // Nothing lost (docs/reliability.md): every output is checked against the scenario and the
  // other outputs before anything is rendered, so a refused path writes no file at all (not a
  // screenshot followed by a refused layout) and does not wait for a benchmark to finish.
  std::vector<std::filesystem::path> taken{o.scenario};
  for (const std::string *out : {&o.screenshot, &o.layout_json, &o.bench_json}) {
    if (out->empty())
      continue;
    if (auto clash = io::output_clashes_with_input(*out, taken)) {
      std::fprintf(stderr, "fltsim-view: %s\n", clash->c_str());
      return fltsim::frontend::Outcome::input_error;
    }
    taken.emplace_back(*out);
  }
  return std::nullopt;
}

} // namespace fltsim::viewer
