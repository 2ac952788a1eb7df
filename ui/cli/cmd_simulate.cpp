// `fltsim simulate FILE [--format text|json|fltmc|fltmc-instances|fltkd|svg|html] [--trace]
// [--baseline ID]...` (docs/scenario-format.md; baselines: docs/baselines.md; the fltmc and fltkd
// layouts: docs/model.md#output-formats). svg and html are the viewer's stack picture, drawn from
// the view model (fltsim/viewer/svg.hpp, fltsim/viewer/replay_html.hpp; README "Pictures").
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <ostream>

#include "baseline_options.hpp"
#include "command.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/observed/observed.hpp"
#include "fltsim/viewer/layout_json.hpp"
#include "fltsim/viewer/replay_html.hpp"
#include "fltsim/viewer/svg.hpp"
#include "report.hpp"

namespace fltsim::cli::simulate_command {
namespace {

struct SimulateArgs {
  std::string file;
  std::string format = "text";
  bool trace = false;
  std::string volume;      ///< svg/html: one volume's stack
  std::string layout_json; ///< svg: also write the picture's layout (fltsim/viewer/layout_json.hpp)
  manifest::InfReadOptions inf; ///< --codepage, for INFs the scenario includes
  std::vector<std::string> baselines;
};

/// The svg and html formats. Returns false after printing why (exit 2).
bool write_picture(const SimulateArgs &args, const sim::Scenario &sc, const sim::SimResult &r,
                   CommandContext &ctx) {
  if (!args.volume.empty()) {
    const std::vector<std::string> vols = viewer::volumes_of(sc);
    if (std::find(vols.begin(), vols.end(), args.volume) == vols.end()) {
      std::string names;
      for (const std::string &v : vols)
        names += (names.empty() ? "" : ", ") + v;
      ctx.err << "fltsim: --volume: " << args.file << " has no volume '" << args.volume
              << "' (its volumes: " << names << ")\n";
      return false;
    }
  }
  if (args.format == "html") {
    viewer::ReplayOptions o;
    o.source = args.file;
    o.volume = args.volume;
    ctx.out << viewer::replay_html(sc, r, o);
    return true;
  }
  const sim::SimResult shown = args.volume.empty() ? r : viewer::volume_stack(r, args.volume);
  const viewer::StackLayoutOptions layout;
  const viewer::StackView view = viewer::build_stack_view(sc, shown, {}, -1, layout);
  viewer::SvgOptions so;
  so.title = (sc.title.empty() ? args.file : sc.title) +
             (args.volume.empty() ? std::string() : " (volume " + args.volume + ")");
  const std::string svg = viewer::stack_svg(view, so);
  if (!args.layout_json.empty()) {
    viewer::LayoutJsonInput in;
    in.view = &view;
    in.options = layout;
    in.image_width = static_cast<int>(std::ceil(view.size.x));
    in.image_height = static_cast<int>(std::ceil(view.size.y));
    in.clip = {0, 0, static_cast<float>(in.image_width), static_cast<float>(in.image_height)};
    in.scenario = sc.title;
    in.step = static_cast<int>(r.trace.size());
    in.step_count = in.step;
    if (auto e = io::write_file_atomic(args.layout_json, viewer::layout_json(in), {args.file})) {
      ctx.err << "fltsim: --layout-json: " << *e << "\n";
      return false;
    }
  }
  ctx.out << svg;
  return true;
}

/// One simulation's output in `format`.
void print_result(const SimulateArgs &args, const sim::Scenario &sc, const sim::SimResult &r,
                  std::ostream &out) {
  if (args.format == "json")
    // Streamed, not dump()ed into one string first: at 10,000 drivers the report is 11 MB and
    // building the string cost about a fifth of the whole run (docs/performance.md).
    out << std::setw(2) << to_json(sc, r, args.trace) << "\n";
  else if (args.format == "fltmc")
    out << observed::write_fltmc_filters(sc, r);
  else if (args.format == "fltmc-instances")
    out << observed::write_fltmc_instances(sc, r);
  else if (args.format == "fltkd")
    out << observed::write_fltkd_frames(sc, r);
  else
    out << render_text(sc, r, args.trace);
}

/// `--baseline`: one simulation per Windows build (docs/baselines.md). Text formats get a
/// "== baseline ID ==" line before each run; JSON is {"baselines": [{"baseline": ID, ...}]}.
void run_baselines(const SimulateArgs &args, const manifest::ScenarioLoad &load,
                   const std::vector<baselines::BaselineSet> &runs, CommandContext &ctx) {
  const sim::Scenario own = scenario_without_baselines(load);
  nlohmann::json list = nlohmann::json::array();
  bool errors = false;
  for (const baselines::BaselineSet &set : runs) {
    const sim::Scenario sc = baselines::with_baselines(own, set.parts);
    const sim::SimResult r = sim::simulate(sc);
    if (!r.input_errors.empty()) {
      ctx.err << "fltsim: on " << set.label() << ":\n";
      print_diagnostics(r.input_errors, ctx.err);
      ctx.outcome = Outcome::input_error;
      return;
    }
    errors = errors || r.has_errors();
    if (args.format == "json") {
      nlohmann::json j = to_json(sc, r, args.trace);
      j["baseline"] = set.label();
      list.push_back(std::move(j));
    } else {
      ctx.out << "== " << baseline_banner(set) << " ==\n";
      print_result(args, sc, r, ctx.out);
    }
  }
  if (args.format == "json")
    ctx.out << std::setw(2) << nlohmann::json{{"baselines", std::move(list)}} << "\n";
  ctx.outcome = errors ? Outcome::findings : Outcome::clean;
}

void run(const SimulateArgs &args, CommandContext &ctx) {
  const bool picture = args.format == "svg" || args.format == "html";
  if ((!args.volume.empty() && !picture) || (!args.layout_json.empty() && args.format != "svg")) {
    return ctx.input_error(std::string(args.volume.empty() ? "--layout-json" : "--volume") +
                           " applies to --format " + (args.volume.empty() ? "svg" : "svg or html") +
                           " only");
  }
  const auto runs = resolve_baselines_or_report(args.baselines, ctx.err);
  if (!runs) {
    ctx.outcome = Outcome::input_error;
    return;
  }
  if (picture && runs->size() > 1) {
    return ctx.input_error("--format " + args.format +
                           " draws one stack: give one --baseline build at a time");
  }
  auto load = load_scenario_or_fail(args.file, ctx, args.inf);
  if (!load)
    return;
  if (!runs->empty() && !picture) {
    run_baselines(args, *load, *runs, ctx);
    return;
  }
  // A picture on one --baseline build draws that build's stack under the scenario's drivers.
  const sim::Scenario sc =
      runs->empty()
          ? *load->scenario
          : baselines::with_baselines(scenario_without_baselines(*load), runs->front().parts);
  const sim::SimResult r = sim::simulate(sc);
  if (!r.input_errors.empty()) {
    print_diagnostics(r.input_errors, ctx.err);
    ctx.outcome = Outcome::input_error;
    return;
  }
  if (picture) {
    if (!write_picture(args, sc, r, ctx)) {
      ctx.outcome = Outcome::input_error;
      return;
    }
  } else
    print_result(args, sc, r, ctx.out);
  ctx.outcome = r.has_errors() ? Outcome::findings : Outcome::clean;
}

// CLI11 declarations: alike in shape in every command, on purpose (ui/cli/command.hpp).
void declare(CLI::App &sub, SimulateArgs &args) {
  sub.add_option("file", args.file, "Scenario YAML file")->required();
  add_format_option(sub, args.format,
                    {"text", "json", "fltmc", "fltmc-instances", "fltkd", "svg", "html"});
  sub.add_flag("--trace,-t", args.trace,
               "Include the narrated replay, step by step (html: always a replay)");
  add_codepage_option(sub, args.inf);
  add_baseline_option(sub, args.baselines);
  sub.add_option("--volume", args.volume,
                 "svg, html: draw this volume's stack (minifilters with an instance on it)");
  sub.add_option("--layout-json", args.layout_json,
                 "svg: also write where each box of the picture is, as JSON, to this file");
}

const RegisterCommand
    registered(10, "simulate",
               "Replay the boot and events of a scenario and print the resulting stack", declare,
               run);

} // namespace
} // namespace fltsim::cli::simulate_command
