#pragma once
// fltsim-view's command line.
#include <optional>

#include "fltsim/frontend/exit_codes.hpp"
#include <string>
#include <vector>

#include "fltsim/baselines/baselines.hpp"

namespace fltsim::viewer {

struct Options {
  std::string scenario;    ///< file to open at start (optional)
  std::string screenshot;  ///< render offscreen, write this PNG, exit
  std::string layout_json; ///< with --screenshot: also write the stack layout as JSON
  std::optional<int> step; ///< show the stack as of this trace step
  int width = 1600;
  int height = 1000;
  bool size_given = false;
  bool apply_plan = false;          ///< run the planner and apply its fix before showing
  std::string tab;                  ///< drivers | findings | trace | planner
  int bench_frames = 0;             ///< measure frame times over this many frames, print, exit
  std::string bench_mode = "scrub"; ///< scrub: a new timeline step every frame; static: none
  std::string bench_json;           ///< write the frame-time statistics here too
  /// `--baseline ID`...: the Windows baseline the scenario is shown on (docs/baselines.md); the
  /// viewer shows one machine, so the first build's run (with the overlays given).
  std::vector<std::string> baselines;
  std::vector<const baselines::Baseline *> baseline_parts;
};

/// Parses argv. Returns an exit code when the program should stop (help, usage error), else
/// nullopt.
[[nodiscard]] std::optional<fltsim::frontend::Outcome> parse_options(int argc, char **argv,
                                                                     Options &out);

} // namespace fltsim::viewer
