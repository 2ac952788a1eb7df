// `fltsim simulate FILE [--format text|json|fltmc|fltmc-instances|fltkd] [--trace]`
// (docs/scenario-format.md; the fltmc and fltkd layouts: docs/model.md#output-formats).
#include <iomanip>
#include <ostream>

#include "command.hpp"
#include "fltsim/manifest/observed.hpp"
#include "report.hpp"

namespace fltsim::cli {
namespace {

struct SimulateArgs {
  std::string file;
  std::string format = "text";
  bool trace = false;
  manifest::InfReadOptions inf; ///< --codepage, for INFs the scenario includes
};

void setup(CLI::App &root, CommandContext &ctx) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App *sub = root.add_subcommand(
      "simulate", "Replay the boot and events of a scenario and print the resulting stack");
  sub->add_option("file", args->file, "Scenario YAML file")->required();
  sub->add_option("--format,-f", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "fltmc", "fltmc-instances", "fltkd"}));
  sub->add_flag("--trace,-t", args->trace, "Include the narrated replay, step by step");
  add_codepage_option(sub, args->inf);
  sub->callback([args, &ctx] {
    auto load = load_scenario_or_report(args->file, ctx.err, args->inf);
    if (!load) {
      ctx.exit_code = ExitCode::input_error;
      return;
    }
    const sim::Scenario &sc = *load->scenario;
    const sim::SimResult r = sim::simulate(sc);
    if (!r.input_errors.empty()) {
      print_diagnostics(r.input_errors, ctx.err);
      ctx.exit_code = ExitCode::input_error;
      return;
    }
    if (args->format == "json")
      // Streamed, not dump()ed into one string first: at 10,000 drivers the report is 11 MB and
      // building the string cost about a fifth of the whole run (docs/performance.md).
      ctx.out << std::setw(2) << to_json(sc, r, args->trace) << "\n";
    else if (args->format == "fltmc")
      ctx.out << manifest::write_fltmc_filters(sc, r);
    else if (args->format == "fltmc-instances")
      ctx.out << manifest::write_fltmc_instances(sc, r);
    else if (args->format == "fltkd")
      ctx.out << manifest::write_fltkd_frames(sc, r);
    else
      ctx.out << render_text(sc, r, args->trace);
    ctx.exit_code = r.has_errors() ? ExitCode::findings : ExitCode::ok;
  });
}

const RegisterCommand registered(10, setup);

} // namespace
} // namespace fltsim::cli
