// See machine_input.hpp.
#include "fltsim/inputs/machine_input.hpp"

#include "fltsim/io/files.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/observed/observed.hpp"

namespace fltsim::inputs {

MachineInputResult import_machine_input(const MachineInputRequest &request) {
  MachineInputResult out;
  machine::MachineImportOptions opt;
  if (!request.control_set.empty())
    opt.control_set = request.control_set;
  machine::MachineImport imp = machine::import_machine_file(request.input, opt);
  out.diagnostics = imp.warnings;
  if (!imp.scenario) {
    out.diagnostics.insert(out.diagnostics.end(), imp.errors.begin(), imp.errors.end());
    out.import = std::move(imp);
    return out;
  }
  std::string header = "Scenario imported by `fltsim import` from the registry in " +
                       request.input + " (docs/machine-import.md).";
  for (const std::string &n : imp.notes)
    header += "\n  - " + n;

  // With a capture: does the configuration predict what the machine showed?
  if (!request.observed.empty()) {
    const io::DecodedText text = io::read_text_file(request.observed);
    if (!text.text) {
      out.diagnostics.push_back(text.error);
      out.import = std::move(imp);
      return out;
    }
    const observed::ObservedStack stack = observed::parse_observed(*text.text, request.observed);
    const sim::SimResult r = sim::simulate(*imp.scenario);
    observed::Comparison cmp =
        observed::compare_observed(*imp.scenario, r, stack, request.observed);
    if (!cmp.errors.empty()) {
      out.diagnostics.insert(out.diagnostics.end(), cmp.errors.begin(), cmp.errors.end());
      out.import = std::move(imp);
      return out;
    }
    const std::string what = "\nConfiguration and observation (" + request.observed + ", " +
                             observed::to_string(cmp.observed_kind) + ") " +
                             (cmp.match ? "agree." : "disagree:");
    header += what;
    if (!cmp.match)
      for (const auto &d : cmp.differences)
        header += "\n  - " + std::string(observed::to_string(d.kind)) + ": " + d.message;
    out.comparison = std::move(cmp);
  }
  out.yaml = manifest::write_scenario_yaml(*imp.scenario, header);
  out.outcome = out.comparison && !out.comparison->match ? MachineInputResult::Outcome::disagrees
                                                         : MachineInputResult::Outcome::imported;
  out.import = std::move(imp);
  return out;
}

} // namespace fltsim::inputs
