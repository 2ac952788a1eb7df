#pragma once
// `fltsim import` of a whole machine's registry (docs/machine-import.md): a .reg export of
// HKLM\SYSTEM (or of a control set) or an offline SYSTEM hive -> a scenario of the machine's
// filters; with --observed, the scenario's prediction checked against a capture.
#include <string>

#include "command.hpp"

namespace fltsim::cli {

struct MachineImportArgs {
  std::string input;       ///< .reg export or SYSTEM hive
  std::string output;      ///< "" = stdout
  std::string observed;    ///< "" = none; else fltmc / !fltkd capture to compare with
  std::string control_set; ///< "" = Select\Current
};

/// True when `path` is a registry export (.reg) or a hive file (regf signature), i.e. an input
/// for run_machine_import rather than a captured fltmc / !fltkd listing.
[[nodiscard]] bool is_machine_input(const std::string &path);

/// Runs the import; sets ctx.exit_code: 0 imported (and, with --observed, the configuration
/// predicts the observation), 1 configuration and observation disagree, 2 input error.
void run_machine_import(const MachineImportArgs &args, CommandContext &ctx);

} // namespace fltsim::cli
