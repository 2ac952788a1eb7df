#pragma once
// `fltsim import` of a whole machine's registry (docs/machine-import.md): a .reg export of
// HKLM\SYSTEM (or of a control set) or an offline SYSTEM hive -> a scenario of the machine's
// filters; with an observed capture, the scenario's prediction checked against it.
#include <optional>
#include <string>
#include <vector>

#include "fltsim/machine/machine_import.hpp"
#include "fltsim/observed/observed_import.hpp"
#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::inputs {

struct MachineInputRequest {
  std::string input;       ///< .reg export or SYSTEM hive
  std::string observed;    ///< "" = none; else a fltmc / !fltkd capture to compare with
  std::string control_set; ///< "" = Select\Current
};

/// What a machine import produced. `yaml` is set when the registry could be imported.
struct MachineInputResult {
  enum class Outcome { imported, disagrees, input_error };
  Outcome outcome = Outcome::input_error;
  std::optional<machine::MachineImport> import;   ///< the machine import itself
  std::string yaml;                               ///< the scenario with its header comment
  std::optional<observed::Comparison> comparison; ///< with a capture
  /// Input errors (outcome input_error) and warnings (severity warning), in reading order.
  std::vector<sim::Diagnostic> diagnostics;
};

/// The input for it is what sniff_input (inputs.hpp) calls machine_registry or reg_manifest.
/// Imports the registry and, with `observed`, compares the prediction with the capture.
[[nodiscard]] MachineInputResult import_machine_input(const MachineInputRequest &request);

} // namespace fltsim::inputs
