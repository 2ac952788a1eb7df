// `fltsim import REGISTRY [--observed CAPTURE]`: see import_machine.hpp.
#include "import_machine.hpp"

#include <fstream>
#include <ostream>

#include "fltsim/manifest/files.hpp"
#include "fltsim/manifest/machine_import.hpp"
#include "fltsim/manifest/observed_import.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::cli {

namespace {

void print_warnings(const std::vector<sim::Diagnostic> &ws, std::ostream &err) {
  for (const sim::Diagnostic &w : ws) {
    std::string s = sim::format_diagnostic(w);
    if (const auto at = s.find("error["); at != std::string::npos)
      s.replace(at, 5, "warning");
    err << s << "\n";
  }
}

} // namespace

bool is_machine_input(const std::string &path) {
  if (manifest::manifest_type(path) == manifest::ManifestType::reg)
    return true;
  std::ifstream in(path, std::ios::binary);
  char sig[4] = {};
  return in.read(sig, 4) && manifest::looks_like_hive(std::string_view(sig, 4));
}

void run_machine_import(const MachineImportArgs &args, CommandContext &ctx) {
  manifest::MachineImportOptions opt;
  if (!args.control_set.empty())
    opt.control_set = args.control_set;
  std::vector<std::filesystem::path> inputs{args.input};
  if (!args.observed.empty())
    inputs.emplace_back(args.observed);
  if (!args.output.empty())
    if (auto clash = manifest::output_clashes_with_input(args.output, inputs)) {
      ctx.err << "fltsim import: " << *clash << "\n";
      ctx.exit_code = ExitCode::input_error;
      return;
    }
  manifest::MachineImport imp = manifest::import_machine_file(args.input, opt);
  print_warnings(imp.warnings, ctx.err);
  if (!imp.scenario) {
    print_diagnostics(imp.errors, ctx.err);
    ctx.exit_code = ExitCode::input_error;
    return;
  }
  std::string header = "Scenario imported by `fltsim import` from the registry in " + args.input +
                       " (docs/machine-import.md).";
  for (const std::string &n : imp.notes)
    header += "\n  - " + n;

  // --observed: does the configuration predict what the machine showed?
  std::optional<manifest::Comparison> cmp;
  if (!args.observed.empty()) {
    const manifest::DecodedText text = manifest::read_text_file(args.observed);
    if (!text.text) {
      print_diagnostics({text.error}, ctx.err);
      ctx.exit_code = ExitCode::input_error;
      return;
    }
    const manifest::ObservedStack observed = manifest::parse_observed(*text.text, args.observed);
    const sim::SimResult r = sim::simulate(*imp.scenario);
    cmp = manifest::compare_observed(*imp.scenario, r, observed, args.observed);
    if (!cmp->errors.empty()) {
      print_diagnostics(cmp->errors, ctx.err);
      ctx.exit_code = ExitCode::input_error;
      return;
    }
    if (cmp->match) {
      header += "\nConfiguration and observation (" + args.observed + ", " +
                manifest::to_string(cmp->observed_kind) + ") agree.";
    } else {
      header += "\nConfiguration and observation (" + args.observed + ", " +
                manifest::to_string(cmp->observed_kind) + ") disagree:";
      for (const auto &d : cmp->differences)
        header += "\n  - " + std::string(manifest::to_string(d.kind)) + ": " + d.message;
    }
  }
  const std::string yaml = manifest::write_scenario_yaml(*imp.scenario, header);
  if (args.output.empty()) {
    ctx.out << yaml;
  } else {
    if (auto err = manifest::write_file_atomic(args.output, yaml, inputs)) {
      ctx.err << "fltsim import: " << *err << "\n";
      ctx.exit_code = ExitCode::input_error;
      return;
    }
    ctx.out << "Wrote " << args.output << " (" << imp.scenario->drivers.size() << " filters from "
            << imp.control_set << ").\n";
    for (const std::string &n : imp.notes)
      ctx.out << "  " << n << "\n";
  }
  if (cmp && !cmp->match) {
    for (const auto &d : cmp->differences) {
      ctx.err << "fltsim import: configuration and observation disagree: ";
      if (d.line > 0)
        ctx.err << args.observed << ":" << d.line << ": ";
      ctx.err << manifest::to_string(d.kind) << ": " << d.message << "\n";
    }
    ctx.exit_code = ExitCode::findings;
    return;
  }
  ctx.exit_code = ExitCode::ok;
}

} // namespace fltsim::cli
