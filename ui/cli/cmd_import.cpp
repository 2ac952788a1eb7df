// `fltsim import OBSERVED.txt [-o SCENARIO.yaml] [--events EVENTS] [--lenient]`: a scenario
// skeleton from fltmc / !fltkd / NtObjectManager output (docs/import.md). Exit 0 = imported and
// re-simulates to the observed frames, 1 = imported but no load order tried reproduces the
// observation, 2 = input or usage error: among them a row that could not be read (unless
// --lenient), a partial capture (cut, filtered, an error instead of rows).
#include <ostream>

#include "command.hpp"
#include "fltsim/manifest/events_reader.hpp"
#include "fltsim/manifest/files.hpp"
#include "fltsim/manifest/observed_import.hpp"
#include "import_machine.hpp"
#include "observed_input.hpp"

namespace fltsim::cli {
namespace {

struct ImportArgs {
  std::string observed;
  std::string output;
  std::string events;
  bool lenient = false;
  std::string against;     // --observed: a capture to check a registry import against
  std::string control_set; // --control-set (registry input)
};

std::string describe(const manifest::ImportedFilter &f) {
  std::string out = f.name;
  if (!f.owner.empty())
    out += " \xE2\x80\x94 " + f.owner;
  out += f.legacy ? ": legacy" : ": Frame " + (f.frame ? std::to_string(*f.frame) : "?");
  if (f.altitude)
    out += ", " + f.altitude->text();
  return out;
}

void setup(CLI::App &root, CommandContext &ctx) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App *sub = root.add_subcommand(
      "import", "Build a scenario skeleton from observed `fltmc` or `!fltkd.frames` output");
  sub->add_option("observed", args->observed,
                  "Text file with fltmc / !fltkd output, or a whole machine's registry: a .reg "
                  "export of HKLM\\SYSTEM (or a control set) or an offline SYSTEM hive")
      ->required();
  sub->add_option("--observed", args->against,
                  "Registry input: a fltmc / !fltkd capture of the same machine; says where "
                  "configuration and observation disagree (exit 1)");
  sub->add_option("--control-set", args->control_set,
                  "Registry input: the control set to read (default: Select\\Current)");
  sub->add_option("-o,--output", args->output,
                  "Write the scenario here (a new file; never an input). Default: stdout");
  sub->add_option("--events", args->events,
                  "FilterManager event 6 records (wevtutil /f:text, Get-WinEvent Format-List, "
                  "CSV or JSON): the observed load order");
  sub->add_flag("--lenient", args->lenient,
                "Go on when rows cannot be read (they are listed as skipped)");
  sub->callback([args, &ctx] {
    if (is_machine_input(args->observed)) { // docs/machine-import.md
      run_machine_import({args->observed, args->output, args->against, args->control_set}, ctx);
      return;
    }
    if (!args->against.empty() || !args->control_set.empty()) {
      ctx.err << "fltsim import: --observed and --control-set apply to registry input (.reg "
                 "export or SYSTEM hive)\n";
      ctx.exit_code = ExitCode::input_error;
      return;
    }
    const auto input =
        read_observed_input("import", args->observed, args->events, args->lenient, ctx.err);
    if (!input) {
      ctx.exit_code = ExitCode::input_error;
      return;
    }
    const manifest::ObservedStack &observed = input->stack;
    manifest::ImportOptions options;
    if (!args->events.empty()) {
      options.load_order = input->load_order;
      options.events_source = args->events;
    }
    manifest::ImportResult res = manifest::import_observed(observed, args->observed, options);
    if (!res.scenario) {
      print_diagnostics(res.errors, ctx.err);
      ctx.exit_code = ExitCode::input_error;
      return;
    }
    std::string header = "Scenario imported by `fltsim import` from " + args->observed + " (" +
                         manifest::to_string(res.source_kind) + ").\nAssumptions:";
    for (const std::string &a : res.assumptions)
      header += "\n  - " + a;
    header += "\nFilters:";
    for (const manifest::ImportedFilter &f : res.filters)
      header += "\n  - " + describe(f);
    if (!res.reproduces) {
      header += "\nDoes NOT reproduce the observation:";
      for (const std::string &m : res.mismatches)
        header += "\n  - " + m;
    }
    for (const std::string &m : res.order_mismatches)
      header += "\nOrder differs from the events: " + m;
    const std::string yaml = manifest::write_scenario_yaml(*res.scenario, header);
    if (args->output.empty()) {
      ctx.out << yaml;
    } else {
      if (auto err = manifest::write_file_atomic(args->output, yaml, {args->observed})) {
        ctx.err << "fltsim import: " << *err << "\n";
        ctx.exit_code = ExitCode::input_error;
        return;
      }
      ctx.out << "Wrote " << args->output << " (" << res.scenario->drivers.size()
              << " drivers from the " << manifest::to_string(res.source_kind) << " listing).\n";
      for (const std::string &a : res.assumptions)
        ctx.out << "  assumption: " << a << "\n";
      for (const manifest::ImportedFilter &f : res.filters)
        ctx.out << "  filter: " << describe(f) << "\n";
    }
    for (const std::string &m : res.order_mismatches)
      ctx.err << "fltsim import: the registration order differs from the events: " << m << "\n";
    if (res.reproduces) {
      (args->output.empty() ? ctx.err : ctx.out)
          << "The scenario re-simulates to the observed frames.\n";
    } else {
      for (const std::string &m : res.mismatches)
        ctx.err << "fltsim import: no load order tried reproduces the observation: " << m << "\n";
    }
    ctx.exit_code = res.reproduces ? ExitCode::ok : ExitCode::findings;
  });
}

const RegisterCommand registered(40, setup);

} // namespace
} // namespace fltsim::cli
