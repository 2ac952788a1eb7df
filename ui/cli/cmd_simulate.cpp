// `fltsim simulate FILE [--format text|json|fltmc|fltmc-instances|fltkd] [--trace]
// [--baseline ID]...` (docs/scenario-format.md; the fltmc and fltkd layouts:
// docs/model.md#output-formats; baselines: docs/baselines.md).
#include <iomanip>
#include <ostream>

#include "baseline_options.hpp"
#include "command.hpp"
#include "fltsim/manifest/observed.hpp"
#include "report.hpp"

namespace fltsim::cli {
namespace {

struct SimulateArgs {
  std::string file;
  std::string format = "text";
  bool trace = false;
  std::vector<std::string> baselines;
};

/// One simulation's output in `format`.
void print_result(const SimulateArgs &args, const sim::Scenario &sc, const sim::SimResult &r,
                  std::ostream &out) {
  if (args.format == "json")
    // Streamed, not dump()ed into one string first: at 10,000 drivers the report is 11 MB and
    // building the string cost about a fifth of the whole run (docs/performance.md).
    out << std::setw(2) << to_json(sc, r, args.trace) << "\n";
  else if (args.format == "fltmc")
    out << manifest::write_fltmc_filters(sc, r);
  else if (args.format == "fltmc-instances")
    out << manifest::write_fltmc_instances(sc, r);
  else if (args.format == "fltkd")
    out << manifest::write_fltkd_frames(sc, r);
  else
    out << render_text(sc, r, args.trace);
}

/// `--baseline`: one simulation per Windows build (docs/baselines.md). Text formats get a
/// "== baseline ID ==" line before each run; JSON is {"baselines": [{"baseline": ID, ...}]}.
void run_baselines(const SimulateArgs &args, const manifest::ScenarioLoad &load,
                   const std::vector<manifest::BaselineSet> &runs, CommandContext &ctx) {
  const sim::Scenario own = scenario_without_baselines(load);
  nlohmann::json list = nlohmann::json::array();
  bool errors = false;
  for (const manifest::BaselineSet &set : runs) {
    const sim::Scenario sc = manifest::with_baselines(own, set.parts);
    const sim::SimResult r = sim::simulate(sc);
    if (!r.input_errors.empty()) {
      ctx.err << "fltsim: on " << set.label() << ":\n";
      print_diagnostics(r.input_errors, ctx.err);
      ctx.exit_code = ExitCode::input_error;
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
  ctx.exit_code = errors ? ExitCode::findings : ExitCode::ok;
}

void setup(CLI::App &root, CommandContext &ctx) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App *sub = root.add_subcommand(
      "simulate", "Replay the boot and events of a scenario and print the resulting stack");
  sub->add_option("file", args->file, "Scenario YAML file")->required();
  sub->add_option("--format,-f", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "fltmc", "fltmc-instances", "fltkd"}));
  sub->add_flag("--trace,-t", args->trace, "Include the narrated replay, step by step");
  add_baseline_option(sub, args->baselines);
  sub->callback([args, &ctx] {
    const auto runs = resolve_baselines_or_report(args->baselines, ctx.err);
    if (!runs) {
      ctx.exit_code = ExitCode::input_error;
      return;
    }
    auto load = load_scenario_or_report(args->file, ctx.err);
    if (!load) {
      ctx.exit_code = ExitCode::input_error;
      return;
    }
    if (!runs->empty()) {
      run_baselines(*args, *load, *runs, ctx);
      return;
    }
    const sim::Scenario &sc = *load->scenario;
    const sim::SimResult r = sim::simulate(sc);
    if (!r.input_errors.empty()) {
      print_diagnostics(r.input_errors, ctx.err);
      ctx.exit_code = ExitCode::input_error;
      return;
    }
    print_result(*args, sc, r, ctx.out);
    ctx.exit_code = r.has_errors() ? ExitCode::findings : ExitCode::ok;
  });
}

const RegisterCommand registered(10, setup);

} // namespace
} // namespace fltsim::cli
