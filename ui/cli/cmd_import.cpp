// `fltsim import OBSERVED.txt [-o SCENARIO.yaml] [--events EVENTS] [--lenient]`: a scenario
// skeleton from fltmc / !fltkd / NtObjectManager output (docs/import.md). Exit 0 = imported and
// re-simulates to the observed frames, 1 = imported but no load order tried reproduces the
// observation, 2 = input or usage error: among them a row that could not be read (unless
// --lenient), a partial capture (cut, filtered, an error instead of rows).
#include <ostream>

#include "command.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/inputs/machine_input.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/observed/events_reader.hpp"
#include "fltsim/observed/observed_import.hpp"

namespace fltsim::cli::import_command {
namespace {

struct ImportArgs {
  std::string observed;
  std::string output;
  std::string events;
  bool lenient = false;
  std::string against;     // --observed: a capture to check a registry import against
  std::string control_set; // --control-set (registry input)
};

std::string describe(const observed::ImportedFilter &f) {
  std::string out = f.name;
  if (!f.owner.empty())
    out += " \xE2\x80\x94 " + f.owner;
  out += f.legacy ? ": legacy" : ": Frame " + (f.frame ? std::to_string(*f.frame) : "?");
  if (f.altitude)
    out += ", " + f.altitude->text();
  return out;
}

// A whole machine's registry: the import is inputs::import_machine_input; this renders it.
void run_machine_import(const ImportArgs &args, CommandContext &ctx) {
  std::vector<std::filesystem::path> inputs{args.observed};
  if (!args.against.empty())
    inputs.emplace_back(args.against);
  if (!args.output.empty())
    if (auto clash = io::output_clashes_with_input(args.output, inputs)) {
      ctx.err << "fltsim import: " << *clash << "\n";
      ctx.outcome = Outcome::input_error;
      return;
    }
  const inputs::MachineInputResult res =
      inputs::import_machine_input({args.observed, args.against, args.control_set});
  print_diagnostics(res.diagnostics, ctx.err);
  if (res.outcome == inputs::MachineInputResult::Outcome::input_error) {
    ctx.outcome = Outcome::input_error;
    return;
  }
  const machine::MachineImport &imp = *res.import;
  if (args.output.empty()) {
    ctx.out << res.yaml;
  } else {
    if (auto err = io::write_file_atomic(args.output, res.yaml, inputs)) {
      ctx.err << "fltsim import: " << *err << "\n";
      ctx.outcome = Outcome::input_error;
      return;
    }
    ctx.out << "Wrote " << args.output << " (" << imp.scenario->drivers.size() << " filters from "
            << imp.control_set << ").\n";
    for (const std::string &n : imp.notes)
      ctx.out << "  " << n << "\n";
  }
  if (res.outcome == inputs::MachineInputResult::Outcome::disagrees) {
    for (const auto &d : res.comparison->differences) {
      ctx.err << "fltsim import: configuration and observation disagree: ";
      if (d.line > 0)
        ctx.err << args.against << ":" << d.line << ": ";
      ctx.err << observed::to_string(d.kind) << ": " << d.message << "\n";
    }
    ctx.outcome = Outcome::findings;
    return;
  }
  ctx.outcome = Outcome::clean;
}

void run(const ImportArgs &args, CommandContext &ctx) {
  // What the input is, from the one dispatch point: a registry goes to the machine import
  // (docs/machine-import.md), anything else to the capture reader, which reports what it is not.
  const inputs::InputKind kind = inputs::sniff_input(args.observed);
  if (kind == inputs::InputKind::machine_registry || kind == inputs::InputKind::reg_manifest) {
    run_machine_import(args, ctx);
    return;
  }
  // A manifest says what a driver installs, not what a machine runs: import has nothing to read
  // in it, and the capture reader's "no table found" (with rows it half-recognised) would not
  // say so.
  if (kind == inputs::InputKind::inf || kind == inputs::InputKind::scenario) {
    const bool inf = kind == inputs::InputKind::inf;
    ctx.err << "fltsim import: " << args.observed << " is " << (inf ? "a driver INF" : "a scenario")
            << ", not an observation: import reads fltmc / !fltkd captures and a machine's "
               "registry; "
            << (inf ? "use `fltsim check " + args.observed + "` or `fltsim simulate " +
                          args.observed + "`"
                    : "use `fltsim simulate " + args.observed + "`")
            << "\n";
    ctx.outcome = Outcome::input_error;
    return;
  }
  if (!args.against.empty() || !args.control_set.empty()) {
    ctx.err << "fltsim import: --observed and --control-set apply to registry input (.reg "
               "export or SYSTEM hive)\n";
    ctx.outcome = Outcome::input_error;
    return;
  }
  // The capture and the event log are inputs: -o may be neither (refused before any work).
  std::vector<std::filesystem::path> inputs{args.observed};
  if (!args.events.empty())
    inputs.emplace_back(args.events);
  if (!args.output.empty())
    if (auto clash = io::output_clashes_with_input(args.output, inputs)) {
      ctx.err << "fltsim import: " << *clash << "\n";
      ctx.outcome = Outcome::input_error;
      return;
    }
  const auto input =
      read_capture_or_report("import", args.observed, args.events, args.lenient, ctx.err);
  if (!input) {
    ctx.outcome = Outcome::input_error;
    return;
  }
  const observed::ObservedStack &observed = input->stack;
  observed::ImportOptions options;
  if (!args.events.empty()) {
    options.load_order = input->load_order;
    options.events_source = args.events;
  }
  observed::ImportResult res = observed::import_observed(observed, args.observed, options);
  if (!res.scenario) {
    print_diagnostics(res.errors, ctx.err);
    ctx.outcome = Outcome::input_error;
    return;
  }
  std::string header = "Scenario imported by `fltsim import` from " + args.observed + " (" +
                       observed::to_string(res.source_kind) + ").\nAssumptions:";
  for (const std::string &a : res.assumptions)
    header += "\n  - " + a;
  header += "\nFilters:";
  for (const observed::ImportedFilter &f : res.filters)
    header += "\n  - " + describe(f);
  if (!res.reproduces) {
    header += "\nDoes NOT reproduce the observation:";
    for (const std::string &m : res.mismatches)
      header += "\n  - " + m;
  }
  for (const std::string &m : res.order_mismatches)
    header += "\nOrder differs from the events: " + m;
  const std::string yaml = manifest::write_scenario_yaml(*res.scenario, header);
  if (args.output.empty()) {
    ctx.out << yaml;
  } else {
    if (auto err = io::write_file_atomic(args.output, yaml, inputs)) {
      ctx.err << "fltsim import: " << *err << "\n";
      ctx.outcome = Outcome::input_error;
      return;
    }
    ctx.out << "Wrote " << args.output << " (" << res.scenario->drivers.size()
            << " drivers from the " << observed::to_string(res.source_kind) << " listing).\n";
    for (const std::string &a : res.assumptions)
      ctx.out << "  assumption: " << a << "\n";
    for (const observed::ImportedFilter &f : res.filters)
      ctx.out << "  filter: " << describe(f) << "\n";
  }
  for (const std::string &m : res.order_mismatches)
    ctx.err << "fltsim import: the registration order differs from the events: " << m << "\n";
  if (res.reproduces) {
    (args.output.empty() ? ctx.err : ctx.out)
        << "The scenario re-simulates to the observed frames.\n";
  } else {
    for (const std::string &m : res.mismatches)
      ctx.err << "fltsim import: no load order tried reproduces the observation: " << m << "\n";
  }
  ctx.outcome = res.reproduces ? Outcome::clean : Outcome::findings;
}

// CLI11 declarations: alike in shape in every command, on purpose (ui/cli/command.hpp).
void declare(CLI::App &sub, ImportArgs &args) {
  sub.add_option("observed", args.observed,
                 "Text file with fltmc / !fltkd output, or a whole machine's registry: a .reg "
                 "export of HKLM\\SYSTEM (or a control set) or an offline SYSTEM hive")
      ->required();
  sub.add_option("--observed", args.against,
                 "Registry input: a fltmc / !fltkd capture of the same machine; says where "
                 "configuration and observation disagree (exit 1)");
  add_control_set_option(sub, args.control_set);
  sub.add_option("-o,--output", args.output,
                 "Write the scenario here (a new file; never an input). Default: stdout");
  add_capture_policy_options(sub, args.lenient, &args.events);
}

const RegisterCommand
    registered(40, "import",
               "Build a scenario skeleton from observed `fltmc` or `!fltkd.frames` output", declare,
               run);

} // namespace
} // namespace fltsim::cli::import_command
